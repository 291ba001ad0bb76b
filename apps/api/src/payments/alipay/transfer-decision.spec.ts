import { classifyFundAnswer, DEFINITE_TRANSFER_FAILURES } from './transfer-decision.js';

describe('classifyFundAnswer', () => {
  it('passes a 10000 on with its data, whatever its status', () => {
    for (const status of ['SUCCESS', 'DEALING', 'FAIL']) {
      const answer = { code: '10000', msg: 'Success', status, orderId: '2026113000001' };
      expect(classifyFundAnswer(answer)).toEqual({ kind: 'ok', data: answer });
    }
  });

  it.each([
    'PAYEE_NOT_EXIST',
    'PAYEE_USER_INFO_ERROR',
    'PAYER_BALANCE_NOT_ENOUGH',
    'ORDER_NOT_EXIST',
  ])('a documented final refusal %s is failed, with its message', (subCode) => {
    expect(
      classifyFundAnswer({ code: '40004', msg: 'Business Failed', subCode, subMsg: '说明' }),
    ).toEqual({ kind: 'failed', code: '40004', subCode, message: '说明' });
  });

  it.each([
    ['40002', 'isv.invalid-signature'],
    ['40002', 'isv.app-cert-sn-invalid'],
    ['40001', 'isv.missing-signature'],
    ['40006', 'isv.insufficient-isv-permissions'],
  ])('a request the gateway refused (%s %s) is failed: nothing was processed', (code, subCode) => {
    expect(classifyFundAnswer({ code, subCode, msg: 'x' })).toMatchObject({
      kind: 'failed',
      code,
      subCode,
    });
  });

  it.each([
    [{ code: '20000', subCode: 'isp.unknow-error' }],
    [{ code: '40004', subCode: 'SYSTEM_ERROR' }],
    [{ code: '40004', subCode: 'aop.SYSTEM_ERROR' }],
    [{ code: '40004', subCode: 'SOMETHING_NEW' }],
    [{ code: '10001' }],
    [{}],
  ])('anything that does not say the money stayed is unknown: %j', (answer) => {
    expect(classifyFundAnswer(answer).kind).toBe('unknown');
  });

  it('never lists an outcome-unknown code as a final refusal', () => {
    expect(DEFINITE_TRANSFER_FAILURES.has('SYSTEM_ERROR')).toBe(false);
    expect(DEFINITE_TRANSFER_FAILURES.has('isp.unknow-error')).toBe(false);
  });
});
