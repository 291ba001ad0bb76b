import { fenOrNull } from '@renran/money';
import { RewardStatus } from '../entities/reward.entity.js';

/** What a verified notification is recorded as; the value stored in alipay_notifications. */
export type NotificationOutcome =
  | 'settled'
  | 'already_settled'
  | 'unknown_order'
  | 'app_id_mismatch'
  | 'seller_id_mismatch'
  | 'amount_mismatch'
  | 'ignored_status'
  | 'external_refund_booked'
  | 'external_refund_unbooked';

export type NotificationDecision =
  | { action: 'settle' }
  | {
      action: 'book_external_refund';
      /** What Alipay says was refunded in all (refund_fee), in fen. */
      refundFen: number;
      outcome: 'external_refund_booked';
      alert: true;
    }
  | { action: 'record'; outcome: NotificationOutcome; alert: boolean };

/** What the books say about refunds of the order; needed for a refund notice only. */
export interface RefundFacts {
  /** The order has a refund row (ours, or an external one booked before). */
  hasRefundRow: boolean;
  authorBalance: number;
}

export interface OrderForNotification {
  money: number;
  status: RewardStatus;
  payType: number;
  refunds?: RefundFacts;
}

/** A notice about a refund carries refund_fee (the total refunded so far) or gmt_refund. */
export function isRefundNotice(params: Record<string, string>): boolean {
  return params.refund_fee !== undefined || params.gmt_refund !== undefined;
}

const PAID_STATUSES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * The merchant's duties for a notification whose signature already verified (ALIPAY.md):
 * the notice must be for our app (and seller, when configured), for an order of ours, for its
 * exact amount; only TRADE_SUCCESS / TRADE_FINISHED mean paid. Anything that does not match
 * is recorded as an alert and never settles. A refund notice for an order without a refund
 * row is a refund made outside the system (see `decideExternalRefund`).
 */
export function decideNotification(
  params: Record<string, string>,
  order: OrderForNotification | null,
  expected: { appId: string; sellerId: string | undefined },
): NotificationDecision {
  if (params.app_id !== expected.appId) {
    return { action: 'record', outcome: 'app_id_mismatch', alert: true };
  }
  if (expected.sellerId !== undefined && params.seller_id !== expected.sellerId) {
    return { action: 'record', outcome: 'seller_id_mismatch', alert: true };
  }
  if (!order || order.payType !== 0) {
    return { action: 'record', outcome: 'unknown_order', alert: true };
  }
  if (fenOrNull(params.total_amount) !== order.money) {
    return { action: 'record', outcome: 'amount_mismatch', alert: true };
  }
  if (isRefundNotice(params)) {
    if (!order.refunds) throw new Error('a refund notice is decided with the refund facts');
    if (!order.refunds.hasRefundRow) return decideExternalRefund(params, order, order.refunds);
  }
  if (!PAID_STATUSES.has(params.trade_status ?? '')) {
    return { action: 'record', outcome: 'ignored_status', alert: false };
  }
  if (order.status === RewardStatus.Paid || order.status === RewardStatus.Refunded) {
    return { action: 'record', outcome: 'already_settled', alert: false };
  }
  return { action: 'settle' };
}

/**
 * A refund made outside the system (DESIGN.md, "Money path rules added after the first
 * outside review"): booked when the order is paid and the author's balance covers it;
 * otherwise nothing moves and it is recorded unbooked, which ledger verify lists until the
 * order is refunded. Alipay reports refund_fee as the total refunded so far; a full refund
 * notice may carry only gmt_refund.
 */
function decideExternalRefund(
  params: Record<string, string>,
  order: OrderForNotification,
  facts: RefundFacts,
): NotificationDecision {
  const refundFen = params.refund_fee === undefined ? order.money : fenOrNull(params.refund_fee);
  if (refundFen === null || refundFen <= 0 || refundFen > order.money) {
    return { action: 'record', outcome: 'amount_mismatch', alert: true };
  }
  // Only full refunds exist in our books (one per order): a partial one is left to staff,
  // listed by ledger verify, rather than booked as if the whole tip went back.
  if (
    refundFen !== order.money ||
    order.status !== RewardStatus.Paid ||
    facts.authorBalance < refundFen
  ) {
    return { action: 'record', outcome: 'external_refund_unbooked', alert: true };
  }
  return {
    action: 'book_external_refund',
    refundFen,
    outcome: 'external_refund_booked',
    alert: true,
  };
}
