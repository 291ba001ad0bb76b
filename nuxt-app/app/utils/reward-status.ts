import type { PayType, RewardStatus } from '#shared/types/api';

export const REWARD_STATUS_TEXT: Record<RewardStatus, string> = {
  0: '待支付',
  1: '已支付',
  2: '已取消',
  3: '超时取消',
  4: '已退款',
};

export const PAY_TYPE_TEXT: Record<PayType, string> = { 0: '支付宝', 1: '账户余额' };

/** Pending is the only status that can still change on its own (paid, or expired). */
export function isFinalStatus(status: RewardStatus): boolean {
  return status !== 0;
}

/** What the wallet says about the payment just made. */
export type ResultState = 'success' | 'processing' | 'failed';

export function resultStateOf(status: RewardStatus): ResultState {
  if (status === 1) return 'success';
  if (status === 0) return 'processing';
  return 'failed';
}
