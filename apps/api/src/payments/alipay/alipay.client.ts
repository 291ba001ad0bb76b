import { Injectable, Logger } from '@nestjs/common';
import { readAlipayCredentials, type AppConfig } from '@renran/config';
import { formatFen } from '@renran/money';
import { AlipaySdk, type AlipaySdkConfig } from 'alipay-sdk';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { InjectConfig } from '../../common/app-config.module.js';
import { formatBeijingTime } from './beijing-time.js';
import { classifyFundAnswer, type FundAnswer } from './transfer-decision.js';

/**
 * What an Open API call told us. `unknown` (network error, timeout, 20000, ACQ.SYSTEM_ERROR,
 * a response we cannot verify) means "nothing is known": callers change nothing and retry.
 */
export type AlipayOutcome<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'failed'; code: string; subCode: string; message: string }
  | { kind: 'unknown'; reason: string };

export interface TradeQueryResult {
  /** WAIT_BUYER_PAY, TRADE_CLOSED, TRADE_SUCCESS or TRADE_FINISHED. */
  tradeStatus: string;
  tradeNo: string;
  totalAmount: string;
  sendPayDate?: string;
}

export interface RefundResult {
  /** Y when this call moved money; N for a repeat or a refund still in progress. */
  fundChange: string;
  refundFee?: string;
}

export interface RefundQueryResult {
  refundStatus?: string;
  refundAmount?: string;
}

export interface PagePayOrder {
  tradeNo: string;
  amountFen: number;
  subject: string;
  timeExpire: Date;
}

export interface WapPayOrder extends PagePayOrder {
  /** Where Alipay's phone cashier sends a buyer who gives up: the article. */
  quitUrl: string;
}

/** alipay.trade.precreate's answer (camelCased by the SDK). */
export interface PrecreateResult {
  outTradeNo?: string;
  qrCode?: string;
}

/** A payout to an Alipay account (alipay.fund.trans.uni.transfer). */
export interface TransferOrder {
  /** Unique per withdrawal and the same on every retry: Alipay pays one out_biz_no once. */
  outBizNo: string;
  amountFen: number;
  /** The payee's Alipay logon id (phone or e-mail). */
  payeeLogonId: string;
  /** The payee's real name; Alipay refuses the transfer when it is not the account's. */
  payeeName: string;
  orderTitle: string;
  remark?: string;
}

export interface TransferResult {
  /** SUCCESS, DEALING (in progress: query later) or FAIL. */
  status: string;
  orderId?: string;
  payFundOrderId?: string;
  transDate?: string;
}

export interface TransferQueryResult {
  /** SUCCESS, DEALING, FAIL or REFUND (paid, then returned). */
  status: string;
  orderId?: string;
  failReason?: string;
  errorCode?: string;
}

/** Transfers are always this product and scene (DESIGN.md, Author income). */
const TRANSFER_PRODUCT = { product_code: 'TRANS_ACCOUNT_NO_PWD', biz_scene: 'DIRECT_TRANSFER' };

/** Alipay's key tool writes PKCS8 (a bare PRIVATE KEY header), `openssl genrsa` PKCS1. */
const PKCS8_HEADER = /-----BEGIN PRIVATE\s+KEY-----/;

/** Sub-codes that say "the outcome is not known yet", unlike real business refusals. */
const UNKNOWN_SUB_CODES = new Set(['ACQ.SYSTEM_ERROR', 'isp.unknow-error', 'aop.ACQ.SYSTEM_ERROR']);

/**
 * Everything we say to Alipay goes through here, over `alipay-sdk` v4: the page-pay and
 * wap-pay URLs, precreate, trade query/close/refund and fund transfers with verified
 * responses, and notification signatures. In certificate mode (公钥证书) the SDK itself
 * computes app_cert_sn and alipay_root_cert_sn from the certificates, sends them with every
 * request (signed), and verifies answers and notifications with the public key of Alipay's
 * certificate; in public-key mode it uses Alipay's bare public key.
 */
@Injectable()
export class AlipayClient {
  private readonly logger = new Logger(AlipayClient.name);
  private readonly sdk: AlipaySdk;
  private readonly certificateMode: boolean;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    const { alipay } = config;
    // Checked here, at start: files there and parsing, the app certificate over our key.
    const credentials = readAlipayCredentials(alipay);
    const privateKey = credentials.appPrivateKeyPem;
    const verification: Partial<AlipaySdkConfig> = credentials.certificates
      ? {
          appCertContent: credentials.certificates.appCertPem,
          alipayPublicCertContent: credentials.certificates.alipayPublicCertPem,
          alipayRootCertContent: credentials.certificates.alipayRootCertPem,
        }
      : { alipayPublicKey: credentials.alipayPublicKeyPem };
    this.sdk = new AlipaySdk({
      appId: alipay.appId,
      privateKey,
      // Alipay's key tool writes PKCS8, `openssl genrsa` PKCS1; the SDK must be told which.
      keyType: PKCS8_HEADER.test(privateKey) ? 'PKCS8' : 'PKCS1',
      ...verification,
      gateway: alipay.gateway,
      signType: 'RSA2',
      timeout: 5000,
      camelcase: true,
    });
    this.certificateMode = credentials.certificates !== undefined;
    // The SDK hands its PEM strings to node:crypto, which parses the key again for every
    // signature and verification: that parse cost twice the RSA signature itself (see
    // docs/BENCHMARKS.md). Parsed once, as KeyObjects, both give the very same signatures; the
    // SDK only ever passes these two values to node:crypto or tests that they are set. In
    // certificate mode the SDK has already taken alipayPublicKey out of Alipay's certificate.
    const keys = this.sdk.config as unknown as Record<'privateKey' | 'alipayPublicKey', unknown>;
    keys.privateKey = createPrivateKey(this.sdk.config.privateKey);
    keys.alipayPublicKey = createPublicKey(this.sdk.config.alipayPublicKey);
  }

  /** The signed GET URL of alipay.trade.page.pay (no network call). */
  pagePayUrl(order: PagePayOrder): string {
    return this.signedGetUrl('alipay.trade.page.pay', {
      out_trade_no: order.tradeNo,
      total_amount: formatFen(order.amountFen),
      subject: order.subject,
      product_code: 'FAST_INSTANT_TRADE_PAY',
      time_expire: formatBeijingTime(order.timeExpire),
    });
  }

  /** The signed GET URL of alipay.trade.wap.pay, Alipay's cashier for phone browsers. */
  wapPayUrl(order: WapPayOrder): string {
    return this.signedGetUrl('alipay.trade.wap.pay', {
      out_trade_no: order.tradeNo,
      total_amount: formatFen(order.amountFen),
      subject: order.subject,
      product_code: 'QUICK_WAP_WAY',
      time_expire: formatBeijingTime(order.timeExpire),
      quit_url: order.quitUrl,
    });
  }

  /**
   * The gateway URL carrying a page method's parameters, signed by the SDK: the same signed
   * parameters `pageExec(method, 'GET', …)` writes, alipay_sdk included, all in the query.
   * `sdkExecute` with bizContent already in snake_case skips pageExec's deep camelCase and
   * snake_case passes over the parameters and its URL rebuilding (~40 µs of the ~0.5 ms a
   * URL took, measured on 2026-11-30); the RSA2 signature is the SDK's either way.
   */
  private signedGetUrl(method: string, bizContent: Record<string, string>): string {
    const query = this.sdk.sdkExecute(
      method,
      {
        alipaySdk: this.sdk.version,
        // The SDK would write local time; Alipay reads Beijing time.
        timestamp: formatBeijingTime(new Date()),
        returnUrl: this.config.alipay.returnUrl,
        notifyUrl: this.config.alipay.notifyUrl,
        bizContent,
      },
      { bizContentAutoSnakeCase: false },
    );
    const { gateway } = this.config.alipay;
    return `${gateway}${gateway.includes('?') ? '&' : '?'}${query}`;
  }

  /**
   * alipay.trade.precreate (当面付扫码): Alipay creates the trade and answers the text of a
   * QR code that the buyer scans with the Alipay app. Same notify_url and expiry as page pay;
   * there is no return, since a scan has no browser to send back.
   */
  precreate(order: PagePayOrder): Promise<AlipayOutcome<PrecreateResult>> {
    return this.call<PrecreateResult>(
      'alipay.trade.precreate',
      {
        out_trade_no: order.tradeNo,
        total_amount: formatFen(order.amountFen),
        subject: order.subject,
        product_code: 'FACE_TO_FACE_PAYMENT',
        time_expire: formatBeijingTime(order.timeExpire),
      },
      { notifyUrl: this.config.alipay.notifyUrl },
    );
  }

  queryTrade(tradeNo: string): Promise<AlipayOutcome<TradeQueryResult>> {
    return this.call<TradeQueryResult>('alipay.trade.query', { out_trade_no: tradeNo });
  }

  closeTrade(tradeNo: string): Promise<AlipayOutcome<Record<string, unknown>>> {
    return this.call('alipay.trade.close', { out_trade_no: tradeNo });
  }

  refund(
    tradeNo: string,
    amountFen: number,
    outRequestNo: string,
  ): Promise<AlipayOutcome<RefundResult>> {
    return this.call<RefundResult>('alipay.trade.refund', {
      out_trade_no: tradeNo,
      refund_amount: formatFen(amountFen),
      out_request_no: outRequestNo,
      refund_reason: '打赏退款',
    });
  }

  queryRefund(tradeNo: string, outRequestNo: string): Promise<AlipayOutcome<RefundQueryResult>> {
    return this.call<RefundQueryResult>('alipay.trade.fastpay.refund.query', {
      out_trade_no: tradeNo,
      out_request_no: outRequestNo,
    });
  }

  /** Alipay pays out (alipay.fund.trans.uni.transfer) only to apps in certificate mode. */
  get supportsTransfers(): boolean {
    return this.certificateMode;
  }

  /** The serial numbers the SDK sends in certificate mode (for logs and tests). */
  get certificateSerials():
    { appCertSn: string; alipayRootCertSn: string; alipayCertSn: string } | undefined {
    if (!this.certificateMode) return undefined;
    const { appCertSn, alipayRootCertSn, alipayCertSn } = this.sdk.config;
    return {
      appCertSn: appCertSn ?? '',
      alipayRootCertSn: alipayRootCertSn ?? '',
      alipayCertSn: alipayCertSn ?? '',
    };
  }

  /**
   * alipay.fund.trans.uni.transfer to an Alipay account by logon id, checked against the
   * payee's real name. Call it again with the same outBizNo after an unknown outcome (or
   * ask queryTransfer): Alipay never pays one out_biz_no twice.
   */
  transfer(order: TransferOrder): Promise<AlipayOutcome<TransferResult>> {
    if (!this.certificateMode) {
      return Promise.resolve({
        kind: 'failed',
        code: '40006',
        subCode: 'CERTIFICATE_MODE_REQUIRED',
        message: '提现需要公钥证书模式',
      });
    }
    return this.fundCall<TransferResult>(
      'alipay.fund.trans.uni.transfer',
      {
        out_biz_no: order.outBizNo,
        trans_amount: formatFen(order.amountFen),
        ...TRANSFER_PRODUCT,
        order_title: order.orderTitle,
        payee_info: {
          identity: order.payeeLogonId,
          identity_type: 'ALIPAY_LOGON_ID',
          name: order.payeeName,
        },
        ...(order.remark !== undefined && order.remark !== '' && { remark: order.remark }),
      },
      order.outBizNo,
    );
  }

  /** alipay.fund.trans.common.query by our out_biz_no: ORDER_NOT_EXIST (failed) = never paid. */
  queryTransfer(outBizNo: string): Promise<AlipayOutcome<TransferQueryResult>> {
    return this.fundCall<TransferQueryResult>(
      'alipay.fund.trans.common.query',
      { out_biz_no: outBizNo, ...TRANSFER_PRODUCT },
      outBizNo,
    );
  }

  /**
   * Verifies a notification or a return (sign over every field but sign and sign_type,
   * values as received). Empty values are dropped first, as Alipay does.
   */
  verifySignature(params: Record<string, string>): boolean {
    if (!params.sign) return false;
    try {
      return this.sdk.checkNotifySignV2(params);
    } catch {
      return false;
    }
  }

  private async fundCall<T>(
    method: string,
    bizContent: Record<string, unknown>,
    outBizNo: string,
  ): Promise<AlipayOutcome<T>> {
    let answer: FundAnswer;
    try {
      answer = await this.sdk.exec(
        method,
        { timestamp: formatBeijingTime(new Date()), bizContent },
        { validateSign: true },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${method} for ${outBizNo}: unknown outcome (${reason})`);
      return { kind: 'unknown', reason };
    }
    return classifyFundAnswer<T>(answer);
  }

  private async call<T>(
    method: string,
    bizContent: Record<string, string>,
    publicParams: { notifyUrl?: string } = {},
  ): Promise<AlipayOutcome<T>> {
    let response: Record<string, string | undefined>;
    try {
      response = await this.sdk.exec(
        method,
        { timestamp: formatBeijingTime(new Date()), ...publicParams, bizContent },
        { validateSign: true },
      );
    } catch (error) {
      // Network errors, timeouts, unverifiable or sign-less answers: nothing is known.
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${method} for ${bizContent.out_trade_no}: unknown outcome (${reason})`);
      return { kind: 'unknown', reason };
    }
    const code = response.code ?? '';
    const subCode = response.subCode ?? '';
    if (code === '10000') {
      return { kind: 'ok', data: response as unknown as T };
    }
    if (code === '20000' || UNKNOWN_SUB_CODES.has(subCode) || code === '') {
      return { kind: 'unknown', reason: `${code} ${subCode}`.trim() || 'no code' };
    }
    return {
      kind: 'failed',
      code,
      subCode,
      message: response.subMsg ?? response.msg ?? '',
    };
  }
}
