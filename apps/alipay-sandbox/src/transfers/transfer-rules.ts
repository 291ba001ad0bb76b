import { InvalidMoneyError, parseYuanToFen } from '@renran/money';
import type { PayeeRecord } from '../state/sandbox-state.js';

/**
 * The documented business refusals of alipay.fund.trans.uni.transfer / common.query that the
 * sandbox plays, with Alipay's sub_msg. Each is answered as code 40004.
 */
export const TRANSFER_SUB_MSG = {
  PAYEE_NOT_EXIST: '收款账号不存在',
  PAYEE_USER_INFO_ERROR: '支付宝账号和姓名不匹配，请确认姓名是否正确',
  PAYER_BALANCE_NOT_ENOUGH: '付款方余额不足',
  EXCEED_LIMIT_SM_MIN_AMOUNT: '单笔最低转账金额0.1元',
  INVALID_PARAMETER: '参数有误',
  ORDER_NOT_EXIST: '转账订单不存在',
} as const;

export type TransferSubCode = keyof typeof TRANSFER_SUB_MSG;

export class TransferRuleError extends Error {
  constructor(
    readonly subCode: TransferSubCode,
    readonly subMsg: string = TRANSFER_SUB_MSG[subCode],
  ) {
    super(`${subCode}: ${subMsg}`);
    this.name = 'TransferRuleError';
  }
}

/** What a transfer request asks for, validated. */
export interface TransferRequest {
  outBizNo: string;
  amountFen: number;
  payeeLogonId: string;
  payeeName: string;
  orderTitle: string;
  remark?: string;
}

const OUT_BIZ_NO_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
/** Alipay's smallest transfer: 0.10 yuan; its largest single one here: 100000000 yuan. */
const MIN_TRANSFER_FEN = 10;
const MAX_TRANSFER_FEN = 10_000_000_000;

const invalid = (reason: string) =>
  new TransferRuleError('INVALID_PARAMETER', `参数有误：${reason}`);

/** out_biz_no of a transfer or its query. */
export function readOutBizNo(biz: Record<string, unknown>): string {
  const outBizNo = biz.out_biz_no;
  if (typeof outBizNo !== 'string' || !OUT_BIZ_NO_PATTERN.test(outBizNo)) {
    throw invalid('out_biz_no 必须是 1 到 64 位字母、数字或下划线');
  }
  return outBizNo;
}

/** product_code and biz_scene: the only product the sandbox's merchant has signed. */
export function checkTransferProduct(biz: Record<string, unknown>): void {
  if (biz.product_code !== 'TRANS_ACCOUNT_NO_PWD') {
    throw invalid('product_code 必须是 TRANS_ACCOUNT_NO_PWD');
  }
  if (biz.biz_scene !== 'DIRECT_TRANSFER') {
    throw invalid('biz_scene 必须是 DIRECT_TRANSFER');
  }
}

/** biz_content of alipay.fund.trans.uni.transfer, checked as Alipay does before paying. */
export function parseTransferRequest(biz: Record<string, unknown>): TransferRequest {
  const outBizNo = readOutBizNo(biz);
  checkTransferProduct(biz);
  const amount = biz.trans_amount;
  let amountFen: number;
  try {
    if (typeof amount !== 'string' && typeof amount !== 'number')
      throw new InvalidMoneyError('trans_amount');
    amountFen = parseYuanToFen(amount, MAX_TRANSFER_FEN);
  } catch (error) {
    if (!(error instanceof InvalidMoneyError)) throw error;
    throw invalid(`trans_amount 必须是最多两位小数的金额，收到 ${JSON.stringify(amount ?? null)}`);
  }
  if (amountFen < MIN_TRANSFER_FEN) throw new TransferRuleError('EXCEED_LIMIT_SM_MIN_AMOUNT');
  const payee = biz.payee_info;
  if (typeof payee !== 'object' || payee === null || Array.isArray(payee)) {
    throw invalid('payee_info 必须是对象');
  }
  const { identity, identity_type: identityType, name } = payee as Record<string, unknown>;
  if (identityType !== 'ALIPAY_LOGON_ID') {
    throw invalid('payee_info.identity_type 只支持 ALIPAY_LOGON_ID');
  }
  if (typeof identity !== 'string' || identity.trim() === '') {
    throw invalid('payee_info.identity 必填');
  }
  // With a logon id, Alipay requires the payee's real name and checks it.
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid('payee_info.name 必填（收款方真实姓名）');
  }
  const orderTitle = biz.order_title;
  if (typeof orderTitle !== 'string' || orderTitle === '') throw invalid('order_title 必填');
  const remark = typeof biz.remark === 'string' && biz.remark !== '' ? biz.remark : undefined;
  return { outBizNo, amountFen, payeeLogonId: identity, payeeName: name, orderTitle, remark };
}

/** The payee the request names, or the refusal Alipay gives: unknown account, wrong name. */
export function findPayee(payees: readonly PayeeRecord[], request: TransferRequest): PayeeRecord {
  const payee = payees.find((candidate) => candidate.logonId === request.payeeLogonId);
  if (!payee) throw new TransferRuleError('PAYEE_NOT_EXIST');
  if (payee.name !== request.payeeName) throw new TransferRuleError('PAYEE_USER_INFO_ERROR');
  return payee;
}
