import { formatFen } from '@renran/money';
import { formatBeijingTime } from '../common/beijing-time.js';
import type {
  AttemptRecord,
  NoticeRecord,
  PayeeRecord,
  TradeRecord,
  TransferRecord,
} from '../state/sandbox-state.js';

/** JSON of the control API: snake_case, amounts in yuan, trade times as Alipay writes them. */
export interface TradeView {
  out_trade_no: string;
  trade_no: string;
  trade_status: string;
  channel: string;
  /** qr: the code's text, as precreate answered it (relative to the sandbox's address). */
  qr_path: string | null;
  total_amount: string;
  subject: string;
  notify_url: string | null;
  return_url: string | null;
  time_expire: string | null;
  gmt_create: string;
  gmt_payment: string | null;
  gmt_close: string | null;
  close_reason: string | null;
  buyer_id: string | null;
  buyer_logon_id: string | null;
  refund_fee: string;
  refunds: {
    out_request_no: string;
    refund_amount: string;
    refund_fee: string;
    gmt_refund: string;
  }[];
}

const beijingOrNull = (epochMs: number | undefined): string | null =>
  epochMs === undefined ? null : formatBeijingTime(epochMs);

export function tradeView(trade: TradeRecord): TradeView {
  return {
    out_trade_no: trade.outTradeNo,
    trade_no: trade.tradeNo,
    trade_status: trade.status,
    channel: trade.channel ?? 'page',
    qr_path: trade.qrToken === undefined ? null : `/qr/${trade.qrToken}`,
    total_amount: formatFen(trade.totalFen),
    subject: trade.subject,
    notify_url: trade.notifyUrl ?? null,
    return_url: trade.returnUrl ?? null,
    time_expire: beijingOrNull(trade.timeExpire),
    gmt_create: formatBeijingTime(trade.gmtCreate),
    gmt_payment: beijingOrNull(trade.gmtPayment),
    gmt_close: beijingOrNull(trade.gmtClose),
    close_reason: trade.closeReason ?? null,
    buyer_id: trade.buyerId ?? null,
    buyer_logon_id: trade.buyerLogonId ?? null,
    refund_fee: formatFen(trade.refundedFen),
    refunds: trade.refunds.map((refund) => ({
      out_request_no: refund.outRequestNo,
      refund_amount: formatFen(refund.refundFen),
      refund_fee: formatFen(refund.refundedFenAfter),
      gmt_refund: formatBeijingTime(refund.gmtRefund),
    })),
  };
}

/** Delivery bookkeeping uses ISO instants (UTC, milliseconds) to make resend timing visible. */
export function noticeView(notice: NoticeRecord) {
  return {
    notify_id: notice.notifyId,
    out_trade_no: notice.outTradeNo,
    trade_status: notice.tradeStatus,
    notify_url: notice.notifyUrl,
    state: notice.state,
    attempts: notice.attempts,
    next_attempt_at:
      notice.nextAttemptAt === null ? null : new Date(notice.nextAttemptAt).toISOString(),
    created_at: new Date(notice.createdAt).toISOString(),
  };
}

export function attemptView(attempt: AttemptRecord) {
  return {
    notify_id: attempt.notifyId,
    out_trade_no: attempt.outTradeNo,
    trade_status: attempt.tradeStatus,
    attempt: attempt.attempt,
    copy: attempt.copy,
    time: new Date(attempt.time).toISOString(),
    ok: attempt.ok,
    response_status: attempt.responseStatus,
    response_body: attempt.responseBody,
    error: attempt.error ?? null,
    dropped: attempt.dropped ?? false,
    corrupted_signature: attempt.corruptedSignature ?? false,
  };
}

export function payeeView(payee: PayeeRecord) {
  return { logon_id: payee.logonId, name: payee.name };
}

export function transferView(transfer: TransferRecord) {
  return {
    out_biz_no: transfer.outBizNo,
    order_id: transfer.orderId,
    pay_fund_order_id: transfer.payFundOrderId,
    status: transfer.status,
    trans_amount: formatFen(transfer.amountFen),
    payee_logon_id: transfer.payeeLogonId,
    payee_name: transfer.payeeName,
    order_title: transfer.orderTitle,
    remark: transfer.remark ?? null,
    trans_date: formatBeijingTime(transfer.transDate),
  };
}
