import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RefundStatus } from '../entities/refund.entity.js';
import { PAY_CHANNELS, type PayChannel, PayType, RewardStatus } from '../entities/reward.entity.js';

/** OpenAPI shapes of the payments routes; the mapping functions in reward-responses.ts return them. */
export class RewardArticleRef {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null where the article was not loaded',
  })
  name: string | null;
}

export class RewardRefundResponse {
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] satisfies RefundStatus[] })
  status: RefundStatus;

  @ApiProperty()
  out_request_no: string;

  @ApiProperty({ type: String, nullable: true })
  failure_reason: string | null;

  @ApiProperty({ description: 'made outside the system (in the Alipay console)' })
  external: boolean;
}

/** An order as its payer (or the author, or staff) sees it. */
export class RewardOrderResponse {
  @ApiProperty({ example: '20261130140501123456789012' })
  trade_no: string;

  @ApiProperty({
    enum: RewardStatus,
    enumName: 'RewardStatus',
    description: '0 未付款, 1 已付款, 2 已取消, 3 超时取消, 4 已退款',
  })
  status: RewardStatus;

  @ApiProperty({ example: '已付款' })
  status_text: string;

  @ApiProperty({ description: 'yuan', example: '5.00' })
  money: string;

  @ApiProperty({ enum: PayType, enumName: 'PayType', description: '0 支付宝, 1 账户余额' })
  pay_type: PayType;

  @ApiProperty({
    enum: PAY_CHANNELS,
    enumName: 'PayChannel',
    nullable: true,
    description: 'page 电脑网站支付, wap 手机网站支付, qr 当面付扫码; null for a balance payment',
  })
  channel: PayChannel | null;

  @ApiProperty()
  anonymous: boolean;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty({ type: () => RewardArticleRef })
  article: RewardArticleRef;

  @ApiProperty({ type: String, format: 'date-time' })
  created_time: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paid_time: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  time_expire: Date;

  @ApiProperty({ type: String, nullable: true, description: 'only for a pending page/wap order' })
  pay_url: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'only for a pending qr order: the text to draw as a QR code',
  })
  qr_code: string | null;

  @ApiProperty({ type: () => RewardRefundResponse, nullable: true })
  refund: RewardRefundResponse | null;
}

/** A payer as others see them: anonymous tips carry no id, name or avatar of the payer. */
export class PersonResponse {
  @ApiProperty({ type: Number, nullable: true })
  id: number | null;

  @ApiProperty({ example: '匿名读者' })
  nickname: string;

  @ApiProperty({ type: String, nullable: true })
  avatar: string | null;
}

export class ReceivedRewardResponse {
  @ApiProperty()
  trade_no: string;

  @ApiProperty({
    enum: RewardStatus,
    enumName: 'RewardStatus',
    description: '1 paid or 4 refunded: a refunded tip is listed but is no longer income',
  })
  status: RewardStatus;

  @ApiProperty({ description: 'yuan', example: '5.00' })
  money: string;

  @ApiProperty({ type: String, nullable: true })
  message: string | null;

  @ApiProperty()
  anonymous: boolean;

  @ApiProperty({ type: () => PersonResponse })
  payer: PersonResponse;

  @ApiProperty({ type: () => RewardArticleRef })
  article: RewardArticleRef;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paid_time: Date | null;
}

export class GivenRewardsPage {
  @ApiProperty({ type: () => [RewardOrderResponse] })
  items: RewardOrderResponse[];

  @ApiProperty({ description: 'counted up to 10,000' })
  total: number;

  @ApiProperty({ description: 'false when the count stopped at 10,000 (there are more)' })
  total_exact: boolean;
}

export class ReceivedRewardsPage {
  @ApiProperty({ type: () => [ReceivedRewardResponse] })
  items: ReceivedRewardResponse[];

  @ApiProperty({ description: 'counted up to 10,000' })
  total: number;

  @ApiProperty({ description: 'false when the count stopped at 10,000 (there are more)' })
  total_exact: boolean;
}

export class WalletResponse {
  @ApiProperty({ description: 'balance in yuan', example: '12.50' })
  money: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'pass as `cursor` for the next page of both lists (a list that has ended answers none); null when both have ended',
  })
  next_cursor: string | null;

  @ApiProperty({ type: () => GivenRewardsPage })
  given: GivenRewardsPage;

  @ApiProperty({ type: () => ReceivedRewardsPage })
  received: ReceivedRewardsPage;
}

export class SupporterResponse {
  @ApiProperty({ example: '匿名读者' })
  nickname: string;

  @ApiProperty({ type: String, nullable: true })
  avatar: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  time: Date;

  @ApiPropertyOptional({ description: 'present (true) on the viewer’s own entry' })
  is_me?: boolean;

  @ApiPropertyOptional({ description: 'yuan; only for the author and for that payer' })
  money?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'only for the author and for that payer',
  })
  message?: string | null;
}

export class ArticleRewardsResponse {
  @ApiProperty({ description: 'distinct named payers + anonymous tips' })
  count: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the page after this one; null on the last page',
  })
  next_cursor: string | null;

  @ApiProperty({ type: () => [SupporterResponse] })
  supporters: SupporterResponse[];
}

/** GET /payments/limits: the amount rules and channels the site offers, from the API's config. */
export class PaymentLimitsResponse {
  @ApiProperty({ description: 'smallest tip, yuan', example: '0.01' })
  reward_min: string;

  @ApiProperty({ description: 'largest tip (REWARD_MAX), yuan', example: '10000.00' })
  reward_max: string;

  @ApiProperty({ description: 'smallest withdrawal (WITHDRAW_MIN), yuan', example: '1.00' })
  withdraw_min: string;

  @ApiProperty({ enum: PAY_CHANNELS, enumName: 'PayChannel', isArray: true })
  channels: PayChannel[];

  @ApiProperty({
    description: 'minutes an unpaid Alipay order stays open (REWARD_TIMEOUT_MINUTES)',
  })
  timeout_minutes: number;
}

/** The Alipay notification log as staff see it. */
export class NotificationResponse {
  @ApiProperty()
  notify_id: string;

  @ApiProperty({ type: String, nullable: true, description: 'ours (out_trade_no)' })
  trade_no: string | null;

  @ApiProperty({ type: String, nullable: true })
  trade_status: string | null;

  @ApiProperty({ example: 'settled' })
  outcome: string;

  @ApiProperty()
  deliveries: number;

  @ApiProperty({ type: [String], format: 'date-time' })
  delivered_at: string[];

  @ApiProperty({ format: 'date-time' })
  first_seen: string;

  @ApiProperty({ format: 'date-time' })
  last_seen: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  payload: Record<string, string>;
}

export class NotificationPageResponse {
  @ApiProperty({ type: () => [NotificationResponse] })
  items: NotificationResponse[];

  @ApiProperty()
  total: number;
}

/** One Beijing-time day of tips received. */
export class IncomeDayResponse {
  @ApiProperty({ description: 'Beijing-time calendar day', example: '2026-11-30' })
  date: string;

  @ApiProperty({ description: 'yuan of paid tips received that day', example: '15.00' })
  amount: string;
}

/** GET /users/me/income: the last N days up to today, oldest first, every day present. */
export class IncomeResponse {
  @ApiProperty({ type: () => [IncomeDayResponse] })
  days: IncomeDayResponse[];
}
