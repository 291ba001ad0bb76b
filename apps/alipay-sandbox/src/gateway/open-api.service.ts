import { Inject, Injectable } from '@nestjs/common';
import { formatFen } from '@renran/money';
import { formatBeijingTime } from '../common/beijing-time.js';
import { TradeRuleError } from '../trades/trade-rules.js';
import { TradesService, type TradeRef } from '../trades/trades.service.js';
import {
  checkTransferProduct,
  parseTransferRequest,
  readOutBizNo,
  TransferRuleError,
} from '../transfers/transfer-rules.js';
import { TransfersService } from '../transfers/transfers.service.js';
import { GatewayError } from './gateway-error.js';
import type { CallerMode } from './gateway-request.js';
import { SANDBOX_RUNTIME, type SandboxRuntime } from '../sandbox-runtime.js';
import { parseBizContent, parsePayOrder, readAmountFen, readText } from './page-pay-order.js';

type ResponseFields = Record<string, string>;

const SUCCESS = { code: '10000', msg: 'Success' } as const;

/**
 * alipay.trade.precreate / query / close / refund / fastpay.refund.query and
 * alipay.fund.trans.uni.transfer / common.query: biz_content in, the fields of
 * `<method>_response` out (snake_case, amounts as yuan strings). Business refusals come back
 * as 40004 with Alipay's ACQ (trades) or plain (transfers) sub codes.
 */
@Injectable()
export class OpenApiService {
  constructor(
    private readonly trades: TradesService,
    private readonly transfers: TransfersService,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  call(
    method: string,
    params: Readonly<Record<string, string>>,
    origin: string,
    mode: CallerMode,
  ): ResponseFields {
    const biz = parseBizContent(params);
    try {
      switch (method) {
        case 'alipay.fund.trans.uni.transfer':
          requireCertificateMode(mode);
          return this.transfer(biz);
        case 'alipay.fund.trans.common.query':
          requireCertificateMode(mode);
          return this.transferQuery(biz);
        case 'alipay.trade.precreate':
          return this.precreate(params, origin);
        case 'alipay.trade.query':
          return this.query(biz);
        case 'alipay.trade.close':
          return this.close(biz);
        case 'alipay.trade.refund':
          return this.refund(biz);
        case 'alipay.trade.fastpay.refund.query':
          return this.refundQuery(biz);
        default:
          throw new GatewayError('40002', 'isv.invalid-method', `不存在的方法名：${method}`);
      }
    } catch (error) {
      if (error instanceof TradeRuleError || error instanceof TransferRuleError) {
        throw new GatewayError('40004', error.subCode, error.subMsg);
      }
      throw error;
    }
  }

  /**
   * 当面付扫码: the trade exists from now on (WAIT_BUYER_PAY) and the answer carries the text
   * of its QR code, a sandbox URL whose page plays the phone that scanned it. Asking again
   * for the same out_trade_no answers the same code.
   */
  private precreate(params: Readonly<Record<string, string>>, origin: string): ResponseFields {
    const trade = this.trades.open(parsePayOrder(params, this.runtime.now(), 'qr'));
    return {
      ...SUCCESS,
      out_trade_no: trade.outTradeNo,
      qr_code: `${origin}/qr/${trade.qrToken ?? ''}`,
    };
  }

  /** alipay.fund.trans.uni.transfer: pays once per out_biz_no (see TransfersService). */
  private transfer(biz: Record<string, unknown>): ResponseFields {
    const { transfer } = this.transfers.transfer(parseTransferRequest(biz));
    return {
      ...SUCCESS,
      out_biz_no: transfer.outBizNo,
      order_id: transfer.orderId,
      pay_fund_order_id: transfer.payFundOrderId,
      status: transfer.status,
      trans_date: formatBeijingTime(transfer.transDate),
    };
  }

  /** alipay.fund.trans.common.query by out_biz_no: a refused or never-sent transfer does not exist. */
  private transferQuery(biz: Record<string, unknown>): ResponseFields {
    const outBizNo = readOutBizNo(biz);
    checkTransferProduct(biz);
    const transfer = this.transfers.find(outBizNo);
    if (!transfer) throw new TransferRuleError('ORDER_NOT_EXIST');
    return {
      ...SUCCESS,
      order_id: transfer.orderId,
      pay_fund_order_id: transfer.payFundOrderId,
      out_biz_no: transfer.outBizNo,
      trans_amount: formatFen(transfer.amountFen),
      status: transfer.status,
      pay_date: formatBeijingTime(transfer.transDate),
      arrival_time_end: formatBeijingTime(transfer.transDate),
      order_fee: '0.00',
    };
  }

  private query(biz: Record<string, unknown>): ResponseFields {
    const trade = this.trades.find(tradeRef(biz));
    if (!trade) throw new TradeRuleError('ACQ.TRADE_NOT_EXIST');
    const paid = trade.gmtPayment !== undefined;
    const total = formatFen(trade.totalFen);
    return {
      ...SUCCESS,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      ...(paid && { buyer_logon_id: trade.buyerLogonId ?? '' }),
      trade_status: trade.status,
      total_amount: total,
      ...(paid && {
        buyer_pay_amount: total,
        point_amount: '0.00',
        invoice_amount: total,
        receipt_amount: total,
        send_pay_date: formatBeijingTime(trade.gmtPayment ?? 0),
        buyer_user_id: trade.buyerId ?? '',
        buyer_user_type: 'PRIVATE',
      }),
    };
  }

  private close(biz: Record<string, unknown>): ResponseFields {
    const trade = this.trades.close(tradeRef(biz));
    return { ...SUCCESS, trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
  }

  private refund(biz: Record<string, unknown>): ResponseFields {
    const ref = tradeRef(biz);
    const refundFen = readAmountFen(biz.refund_amount, 'refund_amount');
    // Without out_request_no Alipay takes the order number itself: one full refund.
    const outRequestNo =
      readText(biz, 'out_request_no') ?? ref.outTradeNo ?? this.trades.find(ref)?.outTradeNo;
    if (outRequestNo === undefined) throw new TradeRuleError('ACQ.TRADE_NOT_EXIST');
    const { trade, refund, fundChange } = this.trades.refund(ref, refundFen, outRequestNo);
    return {
      ...SUCCESS,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: trade.buyerLogonId ?? '',
      fund_change: fundChange ? 'Y' : 'N',
      refund_fee: formatFen(refund.refundedFenAfter),
      gmt_refund_pay: formatBeijingTime(refund.gmtRefund),
      buyer_user_id: trade.buyerId ?? '',
    };
  }

  private refundQuery(biz: Record<string, unknown>): ResponseFields {
    const ref = tradeRef(biz);
    const outRequestNo = readText(biz, 'out_request_no');
    if (outRequestNo === undefined) {
      throw new TradeRuleError('ACQ.INVALID_PARAMETER', '参数无效：缺少 out_request_no');
    }
    const { trade, refund } = this.trades.findRefund(ref, outRequestNo);
    // An unknown out_request_no is not an error at Alipay: success with no refund fields.
    if (!refund) return { ...SUCCESS };
    return {
      ...SUCCESS,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      out_request_no: refund.outRequestNo,
      total_amount: formatFen(trade.totalFen),
      refund_amount: formatFen(refund.refundFen),
      refund_status: 'REFUND_SUCCESS',
      gmt_refund_pay: formatBeijingTime(refund.gmtRefund),
    };
  }
}

/** Alipay pays out only to apps that call in 公钥证书 mode. */
function requireCertificateMode(mode: CallerMode): void {
  if (mode !== 'certificate') {
    throw new GatewayError(
      '40002',
      'isv.missing-app-cert-sn',
      '缺少应用公钥证书序列号：转账接口只支持公钥证书模式',
    );
  }
}

function tradeRef(biz: Record<string, unknown>): TradeRef {
  const ref: TradeRef = {
    outTradeNo: readText(biz, 'out_trade_no'),
    tradeNo: readText(biz, 'trade_no'),
  };
  if (ref.outTradeNo === undefined && ref.tradeNo === undefined) {
    throw new TradeRuleError(
      'ACQ.INVALID_PARAMETER',
      '参数无效：out_trade_no 和 trade_no 不能同时为空',
    );
  }
  return ref;
}
