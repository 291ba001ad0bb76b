/**
 * Everything the sandbox remembers, persisted as one JSON document. Instants are epoch
 * milliseconds and amounts integer fen; both are formatted only at the protocol edges.
 */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

/**
 * The Alipay product that made the trade: 电脑网站支付 (page), 手机网站支付 (wap) or
 * 当面付扫码 (qr, made by alipay.trade.precreate). Trades saved before channels were page.
 */
export type TradeChannel = 'page' | 'wap' | 'qr';

/** Why a trade is TRADE_CLOSED: closed by the merchant, expired unpaid, or fully refunded. */
export type CloseReason = 'closed' | 'expired' | 'refunded';

export interface RefundRecord {
  outRequestNo: string;
  refundFen: number;
  /** Total refunded on the trade right after this refund (the answer's refund_fee). */
  refundedFenAfter: number;
  gmtRefund: number;
}

export interface TradeRecord {
  outTradeNo: string;
  tradeNo: string;
  appId: string;
  status: TradeStatus;
  totalFen: number;
  subject: string;
  channel?: TradeChannel;
  notifyUrl?: string;
  returnUrl?: string;
  /** wap: where the phone cashier's 取消 leads back to the merchant. */
  quitUrl?: string;
  /** qr: the secret part of the code's URL (/qr/<token>), the page the scanning phone opens. */
  qrToken?: string;
  timeExpire?: number;
  gmtCreate: number;
  gmtPayment?: number;
  gmtClose?: number;
  closeReason?: CloseReason;
  buyerId?: string;
  buyerLogonId?: string;
  refundedFen: number;
  refunds: RefundRecord[];
}

export type NoticeState = 'pending' | 'delivered' | 'gave_up' | 'abandoned';

export interface NoticeRecord {
  notifyId: string;
  outTradeNo: string;
  tradeStatus: string;
  notifyUrl: string;
  /** Every field but notify_time and sign, which are set afresh on each attempt. */
  fields: Record<string, string>;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  state: NoticeState;
}

export interface AttemptRecord {
  notifyId: string;
  outTradeNo: string;
  tradeStatus: string;
  attempt: number;
  /** 0 for the regular send, 1..N for injected duplicates of the same attempt. */
  copy: number;
  time: number;
  ok: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  error?: string;
  dropped?: boolean;
  corruptedSignature?: boolean;
}

/**
 * 20000, timeout and SYSTEM_ERROR (40004 with sub_code ACQ.SYSTEM_ERROR, or SYSTEM_ERROR for
 * the fund methods) leave the outcome unknown; 40004 is a definite business refusal
 * (ACQ.TRADE_STATUS_ERROR) instead of the real answer.
 */
export type OpenApiFaultMode = 'normal' | '20000' | 'timeout' | '40004' | 'SYSTEM_ERROR';

export interface FaultSettings {
  /** Delivery attempts still to drop; -1 drops every attempt until reset. */
  dropNotifications: number;
  /** A dropped notice is abandoned (no resends) instead of counting as a failed attempt. */
  dropPermanently: boolean;
  /** Extra copies sent with every delivery attempt. */
  duplicateNotifications: number;
  /** Send the copies of one attempt at once rather than one after another. */
  concurrent: boolean;
  delayMs: number;
  /** Sends still to carry a corrupted signature; -1 corrupts every send until reset. */
  corruptSignatures: number;
  openApi: {
    mode: OpenApiFaultMode;
    /** Open API calls still to fault; -1 faults every call until reset. */
    count: number;
    /** Carry out the operation before answering the fault (an outcome the client cannot see). */
    apply: boolean;
    /** How long a `timeout` answer is held; null means the configured open API timeout. */
    holdMs: number | null;
    /** Methods the fault applies to; null means every Open API method (OPEN_API_METHODS). */
    methods: string[] | null;
  };
}

/** An Alipay account a transfer can pay: logon id (phone or e-mail) and the real name on it. */
export interface PayeeRecord {
  logonId: string;
  name: string;
}

/** A transfer Alipay made (alipay.fund.trans.uni.transfer); refusals leave no record. */
export interface TransferRecord {
  outBizNo: string;
  orderId: string;
  payFundOrderId: string;
  amountFen: number;
  payeeLogonId: string;
  payeeName: string;
  orderTitle: string;
  remark?: string;
  status: 'SUCCESS';
  transDate: number;
}

export interface SandboxState {
  version: 1;
  tradeSeq: number;
  trades: Record<string, TradeRecord>;
  notices: NoticeRecord[];
  attempts: AttemptRecord[];
  faults: FaultSettings;
  /** The merchant's Alipay balance, which transfers are paid from. */
  merchantBalanceFen: number;
  payees: PayeeRecord[];
  /** Keyed by out_biz_no. */
  transfers: Record<string, TransferRecord>;
  transferSeq: number;
}

/** The accounts every sandbox knows from the start (README, "Alipay sandbox"). */
export const SEEDED_PAYEES: readonly PayeeRecord[] = [
  { logonId: 'author@example.com', name: '张荏苒' },
  { logonId: '13800138000', name: '李读者' },
];

/** ¥1,000,000.00: enough that only a test that sets the balance runs out. */
export const SEEDED_MERCHANT_BALANCE_FEN = 100_000_000;

export function defaultFaults(): FaultSettings {
  return {
    dropNotifications: 0,
    dropPermanently: false,
    duplicateNotifications: 0,
    concurrent: false,
    delayMs: 0,
    corruptSignatures: 0,
    openApi: { mode: 'normal', count: 0, apply: false, holdMs: null, methods: null },
  };
}

export function emptyState(): SandboxState {
  return {
    version: 1,
    tradeSeq: 0,
    trades: {},
    notices: [],
    attempts: [],
    faults: defaultFaults(),
    merchantBalanceFen: SEEDED_MERCHANT_BALANCE_FEN,
    payees: SEEDED_PAYEES.map((payee) => ({ ...payee })),
    transfers: {},
    transferSeq: 0,
  };
}
