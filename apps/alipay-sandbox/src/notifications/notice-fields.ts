import { formatFen } from '@renran/money';
import { formatBeijingTime } from '../common/beijing-time.js';
import type { RefundRecord, TradeRecord } from '../state/sandbox-state.js';

export interface MerchantIds {
  appId: string;
  sellerId: string;
}

/**
 * The fields of an asynchronous notification (trade_status_sync) about a trade, without
 * notify_time and sign, which are set on every send. A refund notice carries refund_fee (the
 * total refunded so far), gmt_refund and out_biz_no; after a full refund the trade is
 * TRADE_CLOSED and the notice also carries gmt_close.
 */
export function buildNoticeFields(
  trade: TradeRecord,
  merchant: MerchantIds,
  notifyId: string,
  refund?: RefundRecord,
): Record<string, string> {
  const total = formatFen(trade.totalFen);
  const fields: Record<string, string> = {
    notify_type: 'trade_status_sync',
    notify_id: notifyId,
    app_id: merchant.appId,
    auth_app_id: merchant.appId,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_id: trade.buyerId ?? '',
    buyer_logon_id: trade.buyerLogonId ?? '',
    seller_id: merchant.sellerId,
    trade_status: trade.status,
    total_amount: total,
    receipt_amount: total,
    invoice_amount: total,
    buyer_pay_amount: total,
    point_amount: '0.00',
    subject: trade.subject,
    gmt_create: formatBeijingTime(trade.gmtCreate),
    gmt_payment: trade.gmtPayment === undefined ? '' : formatBeijingTime(trade.gmtPayment),
    // A JSON string inside a form field, as Alipay sends it; its quotes must survive signing.
    fund_bill_list: JSON.stringify([{ amount: total, fundChannel: 'ALIPAYACCOUNT' }]),
  };
  if (refund) {
    fields.out_biz_no = refund.outRequestNo;
    fields.refund_fee = formatFen(refund.refundedFenAfter);
    fields.gmt_refund = formatBeijingTime(refund.gmtRefund);
    if (trade.status === 'TRADE_CLOSED' && trade.gmtClose !== undefined) {
      fields.gmt_close = formatBeijingTime(trade.gmtClose);
    }
  }
  return dropEmpty(fields);
}

/**
 * The synchronous return's parameters (the browser is sent to return_url with them), before
 * signing. No trade_status: the return is not authoritative.
 */
export function buildReturnFields(
  trade: TradeRecord,
  merchant: MerchantIds,
  now: number,
): Record<string, string> {
  return {
    charset: 'utf-8',
    out_trade_no: trade.outTradeNo,
    method:
      trade.channel === 'wap' ? 'alipay.trade.wap.pay.return' : 'alipay.trade.page.pay.return',
    total_amount: formatFen(trade.totalFen),
    trade_no: trade.tradeNo,
    auth_app_id: merchant.appId,
    version: '1.0',
    app_id: merchant.appId,
    sign_type: 'RSA2',
    seller_id: merchant.sellerId,
    timestamp: formatBeijingTime(now),
  };
}

function dropEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
}
