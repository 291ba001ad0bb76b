import type { AlipayOutcome, RefundQueryResult, RefundResult } from './alipay.client.js';

/** What to do with a pending refund after asking Alipay. */
export type RefundDecision =
  | { action: 'confirm' }
  | { action: 'reverse'; reason: string }
  | { action: 'ask_again' }
  /** Ask alipay.trade.fastpay.refund.query about the out_request_no, then decide again. */
  | { action: 'query' };

export interface RefundAttempt {
  /** alipay.trade.refund's answer to this attempt. */
  answer: AlipayOutcome<RefundResult>;
  /** alipay.trade.fastpay.refund.query's answer, once asked. */
  check?: AlipayOutcome<RefundQueryResult>;
  /**
   * An earlier attempt of this refund had an unknown outcome (its answer was lost, unclear,
   * or the process stopped before it came): that attempt may have moved the money.
   */
  earlierOutcomeUnknown: boolean;
}

/**
 * Reserve, then confirm (DESIGN.md, "Refund outcomes are confirmed before they are
 * reversed"): `fund_change` Y confirms; anything short of that asks the refund query, which
 * confirms when it finds the refund. A definite refusal reverses the reserve at once only
 * when no earlier attempt may have gone through; otherwise the reserve is reversed only when
 * the query says no refund exists for this out_request_no. Anything unclear: ask again later,
 * with the same out_request_no.
 */
export function decideRefund({
  answer,
  check,
  earlierOutcomeUnknown,
}: RefundAttempt): RefundDecision {
  if (answer.kind === 'ok' && answer.data.fundChange === 'Y') return { action: 'confirm' };
  const refused = answer.kind === 'failed';
  if (refused && !earlierOutcomeUnknown) return { action: 'reverse', reason: reasonOf(answer) };
  if (!check) return { action: 'query' };
  const found = refundAt(check);
  if (found === 'exists') return { action: 'confirm' };
  if (refused && found === 'none') return { action: 'reverse', reason: reasonOf(answer) };
  return { action: 'ask_again' };
}

/**
 * What the refund query says about the out_request_no. Alipay: an answer with the refund's
 * data whose refund_status is REFUND_SUCCESS or absent means refunded; an answer without
 * that data means no such refund; a trade Alipay does not know has no refund either.
 */
export function refundAt(check: AlipayOutcome<RefundQueryResult>): 'exists' | 'none' | 'unclear' {
  if (check.kind === 'ok') {
    const { refundStatus, refundAmount } = check.data;
    if (refundStatus === 'REFUND_SUCCESS') return 'exists';
    if (refundStatus === undefined || refundStatus === '') {
      return refundAmount === undefined || refundAmount === '' ? 'none' : 'exists';
    }
    return 'unclear';
  }
  if (check.kind === 'failed' && check.subCode === 'ACQ.TRADE_NOT_EXIST') return 'none';
  return 'unclear';
}

function reasonOf(answer: { code: string; subCode: string; message: string }): string {
  return `${answer.subCode || answer.code} ${answer.message}`.trim();
}
