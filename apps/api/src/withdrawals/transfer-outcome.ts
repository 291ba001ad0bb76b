import type {
  AlipayOutcome,
  TransferQueryResult,
  TransferResult,
} from '../payments/alipay/alipay.client.js';

/** What a withdrawal in processing becomes after Alipay's answer. */
export type TransferStep =
  | { action: 'succeed'; orderId: string | null }
  | { action: 'fail'; reason: string }
  /** Not known yet: ask alipay.fund.trans.common.query later, never transfer anew. */
  | { action: 'ask_again' }
  /** The query says Alipay has no transfer of this out_biz_no: send it (the same out_biz_no). */
  | { action: 'send' };

/**
 * alipay.fund.trans.uni.transfer's answer: SUCCESS settles, FAIL or a definite refusal
 * (PAYEE_NOT_EXIST, PAYEE_USER_INFO_ERROR, …: the client says `failed` only for refusals
 * that are final) fails it, anything else (DEALING, 20000, a timeout) is asked about later.
 */
export function afterTransfer(answer: AlipayOutcome<TransferResult>): TransferStep {
  if (answer.kind === 'failed') return { action: 'fail', reason: reasonOf(answer) };
  if (answer.kind === 'unknown') return { action: 'ask_again' };
  const { status, orderId } = answer.data;
  if (status === 'SUCCESS') return { action: 'succeed', orderId: orderId ?? null };
  if (status === 'FAIL') return { action: 'fail', reason: 'FAIL 转账失败' };
  return { action: 'ask_again' };
}

/**
 * alipay.fund.trans.common.query's answer about our out_biz_no: SUCCESS settles; FAIL, or
 * REFUND (paid, then returned to us), fails it and gives the author the money back;
 * ORDER_NOT_EXIST means the transfer never reached Alipay (a crash between the reserve and
 * the call): send it now. Anything else: ask again later.
 */
export function afterQuery(answer: AlipayOutcome<TransferQueryResult>): TransferStep {
  if (answer.kind === 'failed') {
    return answer.subCode === 'ORDER_NOT_EXIST' ? { action: 'send' } : { action: 'ask_again' };
  }
  if (answer.kind === 'unknown') return { action: 'ask_again' };
  const { status, orderId, failReason, errorCode } = answer.data;
  if (status === 'SUCCESS') return { action: 'succeed', orderId: orderId ?? null };
  if (status === 'FAIL' || status === 'REFUND') {
    const why = [errorCode, failReason].filter(Boolean).join(' ');
    return { action: 'fail', reason: `${status}${why ? ` ${why}` : ''}` };
  }
  return { action: 'ask_again' };
}

function reasonOf(answer: { code: string; subCode: string; message: string }): string {
  return `${answer.subCode || answer.code} ${answer.message}`.trim();
}
