import type { AlipayOutcome } from './alipay.client.js';

/** A verified, camelCased answer of alipay.fund.trans.uni.transfer or .common.query. */
export type FundAnswer = Readonly<Record<string, string | undefined>>;

/**
 * Sub-codes with which Alipay says the transfer was not made and will not be made under this
 * out_biz_no as it stands (opendocs: alipay.fund.trans.uni.transfer 业务错误码). Money has
 * not moved, so the reserve may be given back.
 */
export const DEFINITE_TRANSFER_FAILURES: ReadonlySet<string> = new Set([
  'PAYEE_NOT_EXIST',
  'PAYEE_USER_INFO_ERROR',
  'PAYER_BALANCE_NOT_ENOUGH',
  'PAYEE_ACCOUNT_STATUS_ERROR',
  'PAYEE_ACC_OCUPIED',
  'PAYEE_CERT_INFO_ERROR',
  'PAYEE_USERINFO_STATUS_ERROR',
  'PAYER_STATUS_ERROR',
  'PAYER_CERTIFY_CHECK_FAIL',
  'PAYER_USER_INFO_ERROR',
  'PAYER_PAYEE_CANNOT_SAME',
  'PERMIT_CHECK_PERM_LIMITED',
  'PERMIT_NON_BANK_LIMIT_PAYEE',
  'EXCEED_LIMIT_SM_AMOUNT',
  'EXCEED_LIMIT_DM_AMOUNT',
  'EXCEED_LIMIT_UNRN_DM_AMOUNT',
  'EXCEED_LIMIT_SM_MIN_AMOUNT',
  'MONEY_PAY_CLOSED',
  'NO_ACCOUNT_RECEIVE_PERMISSION',
  'PRODUCT_NOT_SIGN',
  'INVALID_PARAMETER',
  'MISSING_PARAMETER',
  'AMOUNT_TOO_SMALL',
  // alipay.fund.trans.common.query: no transfer with this out_biz_no exists.
  'ORDER_NOT_EXIST',
]);

/** Sub-codes that say "the outcome is not known": ask again, query, never pay anew. */
const UNKNOWN_SUB_CODES: ReadonlySet<string> = new Set([
  'SYSTEM_ERROR',
  'ACQ.SYSTEM_ERROR',
  'aop.SYSTEM_ERROR',
  'isp.unknow-error',
  'isp.unknown-error',
]);

/**
 * What an answer of the transfer or its query means. A transfer moves money out, so only a
 * refusal that is certainly final counts as `failed`: a 10000 is `ok` (its `status` tells
 * SUCCESS / DEALING / FAIL), a documented business failure or a request the gateway refused
 * outright (40001 missing / 40002 invalid arguments: signature, certificates, parameters,
 * so nothing was processed) is `failed`, and everything else — 20000, SYSTEM_ERROR, a
 * 40004 this list does not know, no code at all — is `unknown`, to be settled by
 * alipay.fund.trans.common.query with the same out_biz_no. (A timeout or an answer whose
 * signature does not verify never reaches here: the client makes it `unknown` itself.)
 */
export function classifyFundAnswer<T>(answer: FundAnswer): AlipayOutcome<T> {
  const code = answer.code ?? '';
  const subCode = answer.subCode ?? '';
  if (code === '10000') return { kind: 'ok', data: answer as unknown as T };
  const failed = {
    kind: 'failed' as const,
    code,
    subCode,
    message: answer.subMsg ?? answer.msg ?? '',
  };
  if (code === '40001' || code === '40002' || code === '40006') return failed;
  if (code === '40004' && DEFINITE_TRANSFER_FAILURES.has(subCode)) return failed;
  if (code === '' || code === '20000' || UNKNOWN_SUB_CODES.has(subCode)) {
    return { kind: 'unknown', reason: `${code} ${subCode}`.trim() || 'no code' };
  }
  return { kind: 'unknown', reason: `${code} ${subCode} (not a documented final refusal)`.trim() };
}
