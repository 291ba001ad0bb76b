// The API's JSON as the site reads it, by the names the site's code uses. Every shape comes
// from api.generated.ts, which `npm run openapi` generates from the API's OpenAPI document
// (docs/openapi.json); CI fails when either is stale. Never write a shape here by hand.
import type { components } from './api.generated';

type Schemas = components['schemas'];

export type ApiErrorBody = Schemas['ErrorResponse'];
export type SessionUser = Schemas['CurrentUserResponse'];
export type AuthorSummary = Schemas['AuthorResponse'];
export type ArticleSummary = Schemas['ArticleSummaryResponse'];
export type ArticlePage = Schemas['ArticlePageResponse'];
export type ArticleDetail = Schemas['ArticleDetailResponse'];
export type Supporter = Schemas['SupporterResponse'];
export type ArticleRewards = Schemas['ArticleRewardsResponse'];
/** An order as its payer sees it; POST /payments/alipay answers the same shape. */
export type RewardOrder = Schemas['RewardOrderResponse'];
export type ReceivedReward = Schemas['ReceivedRewardResponse'];
export type Wallet = Schemas['WalletResponse'];
export type PaymentLimits = Schemas['PaymentLimitsResponse'];

/** 0 支付宝, 1 账户余额 */
export type PayType = Schemas['PayType'];
/** page 电脑网站支付, wap 手机网站支付, qr 当面付扫码; null for a balance payment. */
export type PayChannel = Schemas['PayChannel'];
/** 0 未付款, 1 已付款, 2 已取消, 3 超时取消, 4 已退款 */
export type RewardStatus = Schemas['RewardStatus'];

export const PAY_TYPE_ALIPAY = 0 as const satisfies PayType;
export const PAY_TYPE_BALANCE = 1 as const satisfies PayType;

/** GET /users/me/statement: every movement of the user's balance, newest first. */
export type Statement = Schemas['StatementPageResponse'];
/** Its `kind` is a string: a ledger kind added later passes through under its own name. */
export type StatementItem = Schemas['StatementItemResponse'];
/** GET /users/me/income?days=30: tips received per Beijing-time day, oldest first. */
export type Income = Schemas['IncomeResponse'];
/** The logon id masked: a***@example.com, 138****8000. */
export type PayoutAccount = Schemas['PayoutAccountResponse'];
export type Withdrawal = Schemas['WithdrawalResponse'];
export type Withdrawals = Schemas['WithdrawalPageResponse'];
/** 0 待审核, 1 处理中, 2 已到账, 3 失败（已退回）, 4 已驳回（已退回） */
export type WithdrawalStatus = Schemas['WithdrawalStatus'];
