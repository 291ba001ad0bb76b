// JSON shapes of the API as the site reads them (snake_case, money as yuan strings "5.00").

export interface ApiErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

export interface SessionUser {
  id: number;
  username: string;
  nickname: string;
  avatar: string | null;
  money: string;
  is_staff: boolean;
}

export interface AuthorSummary {
  id: number;
  nickname: string;
  avatar: string | null;
}

export interface ArticleSummary {
  id: number;
  name: string;
  summary: string;
  word_count: number;
  read_count: number;
  like_count: number;
  reward_count: number;
  created_time: string;
  updated_time: string;
  user: AuthorSummary;
}

export interface ArticlePage {
  items: ArticleSummary[];
  total: number;
  page: number;
  page_size: number;
}

export interface ArticleDetail {
  id: number;
  name: string;
  /** HTML sanitized by the API: the only thing the site renders with v-html. */
  render: string;
  word_count: number;
  read_count: number;
  like_count: number;
  reward_count: number;
  is_public: boolean;
  created_time: string;
  updated_time: string;
  user: AuthorSummary & { money: string };
}

export interface Supporter {
  nickname: string;
  avatar: string | null;
  time: string;
  /** Only for the author and for that payer. */
  money?: string;
  message?: string;
}

export interface ArticleRewards {
  count: number;
  supporters: Supporter[];
}

export const PAY_TYPE_ALIPAY = 0;
export const PAY_TYPE_BALANCE = 1;
export type PayType = typeof PAY_TYPE_ALIPAY | typeof PAY_TYPE_BALANCE;

/** page 电脑网站支付, wap 手机网站支付, qr 当面付扫码; null for a balance payment. */
export type PayChannel = 'page' | 'wap' | 'qr';

/** 0 未付款, 1 已付款, 2 已取消, 3 超时取消, 4 已退款 */
export type RewardStatus = 0 | 1 | 2 | 3 | 4;

export interface RewardOrder {
  trade_no: string;
  status: RewardStatus;
  money: string;
  pay_type: PayType;
  channel: PayChannel | null;
  anonymous: boolean;
  message: string | null;
  article: { id: number; name: string | null };
  created_time: string;
  paid_time: string | null;
  /** Only for a pending Alipay order. */
  pay_url: string | null;
  /** Only for a pending qr order: the text to draw as a QR code. */
  qr_code: string | null;
  time_expire: string;
}

export interface CreatedReward {
  trade_no: string;
  status: RewardStatus;
  money: string;
  pay_type: PayType;
  channel: PayChannel | null;
  pay_url: string | null;
  qr_code: string | null;
  time_expire: string;
}

export interface ReceivedReward {
  trade_no: string;
  /** 1 paid or 4 refunded: a refunded tip is listed but is no longer income. */
  status: RewardStatus;
  money: string;
  message: string | null;
  anonymous: boolean;
  payer: { id: number | null; nickname: string; avatar: string | null };
  article: { id: number; name: string | null };
  paid_time: string | null;
}

export interface Wallet {
  money: string;
  given: { items: RewardOrder[]; total: number };
  received: { items: ReceivedReward[]; total: number };
}

/** GET /users/me/statement: every movement of the user's balance, newest first. */
export type StatementKind =
  | 'tip_received'
  | 'tip_given'
  | 'refund_debit'
  | 'refund_credit'
  | 'refund_reversal'
  | 'grant'
  | 'withdrawal'
  | 'withdrawal_reversal';

export interface StatementItem {
  id: number;
  time: string;
  /** A StatementKind; a kind added later passes through under its own name. */
  kind: string;
  /** Signed yuan: "+5.00" / "-5.00". */
  amount: string;
  balance_after: string | null;
  ref: { trade_no?: string; refund_id?: number; withdrawal_id?: number };
}

export interface Statement {
  items: StatementItem[];
  total: number;
}

/** GET /users/me/income?days=30: tips received per Beijing-time day, oldest first. */
export interface Income {
  days: { date: string; amount: string }[];
}

export interface PayoutAccount {
  real_name: string;
  /** Masked: a***@example.com, 138****8000. */
  alipay_account: string;
  updated_time: string;
}

/** 0 待审核, 1 处理中, 2 已到账, 3 失败（已退回）, 4 已驳回（已退回）. */
export type WithdrawalStatus = 0 | 1 | 2 | 3 | 4;

export interface Withdrawal {
  id: number;
  amount: string;
  status: WithdrawalStatus;
  created_time: string;
  finished_time: string | null;
  payee: { real_name: string; alipay_account: string };
  reject_reason: string | null;
  failure_reason: string | null;
}

export interface Withdrawals {
  items: Withdrawal[];
  total: number;
}
