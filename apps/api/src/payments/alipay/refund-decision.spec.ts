import type { AlipayOutcome, RefundQueryResult, RefundResult } from './alipay.client.js';
import { decideRefund, type RefundDecision } from './refund-decision.js';

const moved: AlipayOutcome<RefundResult> = { kind: 'ok', data: { fundChange: 'Y' } };
const repeat: AlipayOutcome<RefundResult> = { kind: 'ok', data: { fundChange: 'N' } };
const lost: AlipayOutcome<RefundResult> = { kind: 'unknown', reason: '20000 isp.unknow-error' };
const refused: AlipayOutcome<RefundResult> = {
  kind: 'failed',
  code: '40004',
  subCode: 'ACQ.TRADE_STATUS_ERROR',
  message: '交易状态不合法',
};

const found: AlipayOutcome<RefundQueryResult> = {
  kind: 'ok',
  data: { refundStatus: 'REFUND_SUCCESS', refundAmount: '9.00' },
};
const foundWithoutStatus: AlipayOutcome<RefundQueryResult> = {
  kind: 'ok',
  data: { refundAmount: '9.00' },
};
const none: AlipayOutcome<RefundQueryResult> = { kind: 'ok', data: {} };
const noTrade: AlipayOutcome<RefundQueryResult> = {
  kind: 'failed',
  code: '40004',
  subCode: 'ACQ.TRADE_NOT_EXIST',
  message: '交易不存在',
};
const queryLost: AlipayOutcome<RefundQueryResult> = { kind: 'unknown', reason: 'timeout' };
const processing: AlipayOutcome<RefundQueryResult> = {
  kind: 'ok',
  data: { refundStatus: 'REFUND_PROCESSING', refundAmount: '9.00' },
};

const confirm: RefundDecision = { action: 'confirm' };
const query: RefundDecision = { action: 'query' };
const askAgain: RefundDecision = { action: 'ask_again' };
const reverse: RefundDecision = {
  action: 'reverse',
  reason: 'ACQ.TRADE_STATUS_ERROR 交易状态不合法',
};

describe('decideRefund', () => {
  it.each([
    ['fund_change Y confirms at once', moved, undefined, false, confirm],
    ['fund_change Y on a retry confirms', moved, undefined, true, confirm],
    ['a first refusal reverses at once', refused, undefined, false, reverse],
    ['a refusal after an unknown outcome asks the query first', refused, undefined, true, query],
    ['…which confirms when the refund exists', refused, found, true, confirm],
    [
      '…also when refund_status is absent but the refund is there',
      refused,
      foundWithoutStatus,
      true,
      confirm,
    ],
    ['…and reverses when no refund exists', refused, none, true, reverse],
    ['…or Alipay knows no such trade', refused, noTrade, true, reverse],
    ['…and waits when the query is unclear', refused, queryLost, true, askAgain],
    ['…or the refund is still processing', refused, processing, true, askAgain],
    ['fund_change N asks the query', repeat, undefined, false, query],
    ['fund_change N, refund found: confirm', repeat, found, false, confirm],
    ['fund_change N, no refund yet: ask again, never reverse', repeat, none, false, askAgain],
    ['an unknown answer asks the query', lost, undefined, false, query],
    ['an unknown answer, refund found: confirm', lost, found, true, confirm],
    ['an unknown answer, no refund: ask again, never reverse', lost, none, true, askAgain],
    ['an unknown answer, query lost too: ask again', lost, queryLost, false, askAgain],
  ])('%s', (_label, answer, check, earlierOutcomeUnknown, expected) => {
    expect(decideRefund({ answer, check, earlierOutcomeUnknown })).toEqual(expected);
  });
});
