import { formatFen } from '@renran/money';
import { displayName } from '../../users/dto/user-responses.js';
import type { UserEntity } from '../../users/entities/user.entity.js';
import type { RefundEntity } from '../entities/refund.entity.js';
import { REWARD_STATUS_TEXT, type RewardEntity } from '../entities/reward.entity.js';
import type { PersonResponse, RewardOrderResponse } from './reward.response.js';

export const ANONYMOUS_NICKNAME = '匿名读者';

type Person = Pick<UserEntity, 'id' | 'username' | 'nickname' | 'avatar'>;

/** An order and, when loaded, the article it tips (only its id and name are shown). */
export type OrderWithArticle = Omit<RewardEntity, 'article'> & {
  article?: { id: number; name: string };
};

/** An order as its payer (or the author, or staff) sees it. */
export function toRewardResponse(
  reward: OrderWithArticle,
  payUrl: string | null = null,
  refund: RefundEntity | null = null,
  qrCode: string | null = null,
): RewardOrderResponse {
  return {
    trade_no: reward.tradeNo,
    status: reward.status,
    status_text: REWARD_STATUS_TEXT[reward.status],
    money: formatFen(reward.money),
    pay_type: reward.payType,
    channel: reward.channel,
    anonymous: reward.anonymous,
    message: reward.message,
    article: reward.article
      ? { id: reward.article.id, name: reward.article.name }
      : { id: reward.articleId, name: null },
    created_time: reward.createdTime,
    paid_time: reward.paidAt,
    time_expire: reward.timeExpire,
    pay_url: payUrl,
    qr_code: qrCode,
    refund: refund
      ? {
          status: refund.status,
          out_request_no: refund.outRequestNo,
          failure_reason: refund.failureReason,
          external: refund.external,
        }
      : null,
  };
}

export function toPerson(user: Person | null | undefined, anonymous: boolean): PersonResponse {
  if (anonymous || !user) {
    return { id: null, nickname: ANONYMOUS_NICKNAME, avatar: null };
  }
  return { id: user.id, nickname: displayName(user), avatar: user.avatar };
}
