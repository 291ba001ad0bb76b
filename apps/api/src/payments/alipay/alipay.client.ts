import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@renran/config';
import { formatFen } from '@renran/money';
import { AlipaySdk } from 'alipay-sdk';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InjectConfig } from '../../common/app-config.module.js';
import { formatBeijingTime } from './beijing-time.js';

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

/** Alipay's key tool writes PKCS8 (a bare PRIVATE KEY header), `openssl genrsa` PKCS1. */
const PKCS8_HEADER = /-----BEGIN PRIVATE\s+KEY-----/;

/** Sub-codes that say "the outcome is not known yet", unlike real business refusals. */
const UNKNOWN_SUB_CODES = new Set(['ACQ.SYSTEM_ERROR', 'isp.unknow-error', 'aop.ACQ.SYSTEM_ERROR']);

/**
 * Everything we say to Alipay goes through here, over `alipay-sdk` v4: the page-pay and
 * wap-pay URLs, precreate and trade query/close/refund with verified responses, and
 * notification signatures.
 */
@Injectable()
export class AlipayClient {
  private readonly logger = new Logger(AlipayClient.name);
  private readonly sdk: AlipaySdk;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    const { alipay } = config;
    const privateKey = readFileSync(alipay.appPrivateKeyPath, 'utf8');
    this.sdk = new AlipaySdk({
      appId: alipay.appId,
      privateKey,
      // Alipay's key tool writes PKCS8, `openssl genrsa` PKCS1; the SDK must be told which.
      keyType: PKCS8_HEADER.test(privateKey) ? 'PKCS8' : 'PKCS1',
      alipayPublicKey: readFileSync(alipay.alipayPublicKeyPath, 'utf8'),
      gateway: alipay.gateway,
      signType: 'RSA2',
      timeout: 5000,
      camelcase: true,
    });
    // The SDK hands its PEM strings to node:crypto, which parses the key again for every
    // signature and verification: that parse cost twice the RSA signature itself (see
    // docs/BENCHMARKS.md). Parsed once, as KeyObjects, both give the very same signatures; the
    // SDK only ever passes these two values to node:crypto or tests that they are set.
    const keys = this.sdk.config as unknown as Record<'privateKey' | 'alipayPublicKey', unknown>;
    keys.privateKey = createPrivateKey(this.sdk.config.privateKey);
    keys.alipayPublicKey = createPublicKey(this.sdk.config.alipayPublicKey);
  }

  /** The signed GET URL of alipay.trade.page.pay (no network call). */
  pagePayUrl(order: PagePayOrder): string {
    return this.sdk.pageExec('alipay.trade.page.pay', 'GET', {
      // The SDK would write local time; Alipay reads Beijing time.
      timestamp: formatBeijingTime(new Date()),
      bizContent: {
        out_trade_no: order.tradeNo,
        total_amount: formatFen(order.amountFen),
        subject: order.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        time_expire: formatBeijingTime(order.timeExpire),
      },
      returnUrl: this.config.alipay.returnUrl,
      notifyUrl: this.config.alipay.notifyUrl,
    });
  }

  /** The signed GET URL of alipay.trade.wap.pay, Alipay's cashier for phone browsers. */
  wapPayUrl(order: WapPayOrder): string {
    return this.sdk.pageExec('alipay.trade.wap.pay', 'GET', {
      timestamp: formatBeijingTime(new Date()),
      bizContent: {
        out_trade_no: order.tradeNo,
        total_amount: formatFen(order.amountFen),
        subject: order.subject,
        product_code: 'QUICK_WAP_WAY',
        time_expire: formatBeijingTime(order.timeExpire),
        quit_url: order.quitUrl,
      },
      returnUrl: this.config.alipay.returnUrl,
      notifyUrl: this.config.alipay.notifyUrl,
    });
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
