import { afterQuery, afterTransfer } from './transfer-outcome.js';

const ok = <T>(data: T) => ({ kind: 'ok' as const, data });
const refused = (subCode: string) => ({
  kind: 'failed' as const,
  code: '40004',
  subCode,
  message: '业务失败',
});
const unknown = { kind: 'unknown' as const, reason: 'timeout' };

describe('afterTransfer', () => {
  it.each([
    [
      'SUCCESS settles with the order id',
      ok({ status: 'SUCCESS', orderId: 'o1' }),
      { action: 'succeed', orderId: 'o1' },
    ],
    ['DEALING is asked about later', ok({ status: 'DEALING' }), { action: 'ask_again' }],
    ['FAIL fails', ok({ status: 'FAIL' }), { action: 'fail', reason: 'FAIL 转账失败' }],
    [
      'a definite refusal fails',
      refused('PAYEE_NOT_EXIST'),
      { action: 'fail', reason: 'PAYEE_NOT_EXIST 业务失败' },
    ],
    ['a timeout is asked about later, never sent anew', unknown, { action: 'ask_again' }],
  ])('%s', (_, answer, step) => {
    expect(afterTransfer(answer)).toEqual(step);
  });
});

describe('afterQuery', () => {
  it.each([
    [
      'SUCCESS settles',
      ok({ status: 'SUCCESS', orderId: 'o2' }),
      { action: 'succeed', orderId: 'o2' },
    ],
    [
      'FAIL fails with the reason',
      ok({ status: 'FAIL', errorCode: 'PAYEE_NOT_EXIST', failReason: '收款方不存在' }),
      { action: 'fail', reason: 'FAIL PAYEE_NOT_EXIST 收款方不存在' },
    ],
    [
      'REFUND (returned to us) fails',
      ok({ status: 'REFUND' }),
      { action: 'fail', reason: 'REFUND' },
    ],
    ['DEALING waits', ok({ status: 'DEALING' }), { action: 'ask_again' }],
    ['no such transfer: send it (same out_biz_no)', refused('ORDER_NOT_EXIST'), { action: 'send' }],
    [
      'another refusal of the query decides nothing',
      refused('INVALID_PARAMETER'),
      { action: 'ask_again' },
    ],
    ['unknown waits', unknown, { action: 'ask_again' }],
  ])('%s', (_, answer, step) => {
    expect(afterQuery(answer)).toEqual(step);
  });
});
