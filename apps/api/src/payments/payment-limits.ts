import type { AppConfig } from '@renran/config';
import { formatFen } from '@renran/money';
import { PAY_CHANNELS } from './entities/reward.entity.js';
import type { PaymentLimitsResponse } from './dto/reward.response.js';

/** The smallest tip: one fen, as parseYuanToFen refuses zero. */
export const REWARD_MIN_FEN = 1;

/** What the site needs to check an amount and offer channels before it asks for an order. */
export function paymentLimits(
  config: Pick<AppConfig, 'rewardMaxFen' | 'withdrawMinFen' | 'rewardTimeoutMinutes'>,
): PaymentLimitsResponse {
  return {
    reward_min: formatFen(REWARD_MIN_FEN),
    reward_max: formatFen(config.rewardMaxFen),
    withdraw_min: formatFen(config.withdrawMinFen),
    channels: [...PAY_CHANNELS],
    timeout_minutes: config.rewardTimeoutMinutes,
  };
}
