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
  | 'ignored_status';

export type NotificationDecision =
  { action: 'settle' } | { action: 'record'; outcome: NotificationOutcome; alert: boolean };

export interface OrderForNotification {
  money: number;
  status: RewardStatus;
  payType: number;
}

const PAID_STATUSES = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * The merchant's duties for a notification whose signature already verified (ALIPAY.md):
 * the notice must be for our app (and seller, when configured), for an order of ours, for its
 * exact amount; only TRADE_SUCCESS / TRADE_FINISHED mean paid. Anything that does not match
 * is recorded as an alert and never settles.
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
  if (!PAID_STATUSES.has(params.trade_status ?? '')) {
    return { action: 'record', outcome: 'ignored_status', alert: false };
  }
  if (order.status === RewardStatus.Paid || order.status === RewardStatus.Refunded) {
    return { action: 'record', outcome: 'already_settled', alert: false };
  }
  return { action: 'settle' };
}
