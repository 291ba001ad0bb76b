import type { RefundRecord, TradeChannel, TradeRecord } from '../state/sandbox-state.js';

/** Alipay's business failure codes (40004) the sandbox answers, with their usual sub_msg. */
export const ACQ_SUB_MSG = {
  'ACQ.TRADE_NOT_EXIST': '交易不存在',
  'ACQ.TRADE_STATUS_ERROR': '交易状态不合法',
  'ACQ.REASON_TRADE_REFUND_FEE_ERR': '退款金额无效',
  'ACQ.TRADE_HAS_SUCCESS': '交易已被支付',
  'ACQ.TRADE_HAS_CLOSE': '交易已经关闭',
  'ACQ.CONTEXT_INCONSISTENT': '交易信息被篡改',
  'ACQ.INVALID_PARAMETER': '参数无效',
} as const;

export type AcqSubCode = keyof typeof ACQ_SUB_MSG;

/** A business rule said no: Alipay answers it as code 40004 "Business Failed". */
export class TradeRuleError extends Error {
  constructor(
    readonly subCode: AcqSubCode,
    readonly subMsg: string = ACQ_SUB_MSG[subCode],
  ) {
    super(`${subCode}: ${subMsg}`);
    this.name = 'TradeRuleError';
  }
}

/** What a page-pay, wap-pay or precreate request asks for, already validated. */
export interface PagePayOrder {
  channel?: TradeChannel;
  outTradeNo: string;
  totalFen: number;
  subject: string;
  timeExpire?: number;
  notifyUrl?: string;
  returnUrl?: string;
  quitUrl?: string;
}

/**
 * An unpaid trade closes by itself at time_expire (its gmt_close is that instant, whenever
 * the sandbox notices). Returns true when it changed the trade.
 */
export function expireIfDue(trade: TradeRecord, now: number): boolean {
  if (trade.status !== 'WAIT_BUYER_PAY' || trade.timeExpire === undefined) return false;
  if (now < trade.timeExpire) return false;
  trade.status = 'TRADE_CLOSED';
  trade.gmtClose = trade.timeExpire;
  trade.closeReason = 'expired';
  return true;
}

/** Opening the cashier again for a known out_trade_no: the same order, still payable. */
export function checkReopen(trade: TradeRecord, order: PagePayOrder): void {
  if (trade.totalFen !== order.totalFen) {
    throw new TradeRuleError(
      'ACQ.CONTEXT_INCONSISTENT',
      '交易信息被篡改：同一商户订单号的订单金额与首次提交的不一致',
    );
  }
  refuseIfNotPayable(trade);
}

export function refuseIfNotPayable(trade: TradeRecord): void {
  if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') {
    throw new TradeRuleError('ACQ.TRADE_HAS_SUCCESS');
  }
  if (trade.status === 'TRADE_CLOSED') {
    throw new TradeRuleError(
      'ACQ.TRADE_HAS_CLOSE',
      trade.closeReason === 'expired' ? '交易已经关闭：订单已超过最晚付款时间' : '交易已经关闭',
    );
  }
}

export function markPaid(
  trade: TradeRecord,
  now: number,
  buyer: { id: string; logonId: string },
): void {
  refuseIfNotPayable(trade);
  trade.status = 'TRADE_SUCCESS';
  trade.gmtPayment = now;
  trade.buyerId = buyer.id;
  trade.buyerLogonId = buyer.logonId;
}

/** alipay.trade.close: only an unpaid trade can be closed. */
export function markClosed(trade: TradeRecord, now: number): void {
  if (trade.status !== 'WAIT_BUYER_PAY') throw new TradeRuleError('ACQ.TRADE_STATUS_ERROR');
  trade.status = 'TRADE_CLOSED';
  trade.gmtClose = now;
  trade.closeReason = 'closed';
}

export type RefundOutcome =
  | { kind: 'repeat'; refund: RefundRecord }
  | { kind: 'new'; refund: RefundRecord; fullyRefunded: boolean };

/**
 * alipay.trade.refund. A known out_request_no answers the first result and moves no money;
 * a new one must fit within what is left of the payment. Refunding everything closes the
 * trade.
 */
export function applyRefund(
  trade: TradeRecord,
  outRequestNo: string,
  refundFen: number,
  now: number,
): RefundOutcome {
  const known = trade.refunds.find((refund) => refund.outRequestNo === outRequestNo);
  if (known) return { kind: 'repeat', refund: known };
  if (trade.status !== 'TRADE_SUCCESS') {
    throw new TradeRuleError(
      'ACQ.TRADE_STATUS_ERROR',
      trade.status === 'WAIT_BUYER_PAY'
        ? '交易状态不合法：交易未付款，不能退款'
        : '交易状态不合法：交易已关闭，不能退款',
    );
  }
  if (trade.refundedFen + refundFen > trade.totalFen) {
    throw new TradeRuleError(
      'ACQ.REASON_TRADE_REFUND_FEE_ERR',
      '退款金额无效：退款金额超过可退金额',
    );
  }
  trade.refundedFen += refundFen;
  const refund: RefundRecord = {
    outRequestNo,
    refundFen,
    refundedFenAfter: trade.refundedFen,
    gmtRefund: now,
  };
  trade.refunds.push(refund);
  const fullyRefunded = trade.refundedFen === trade.totalFen;
  if (fullyRefunded) {
    trade.status = 'TRADE_CLOSED';
    trade.gmtClose = now;
    trade.closeReason = 'refunded';
  }
  return { kind: 'new', refund, fullyRefunded };
}
