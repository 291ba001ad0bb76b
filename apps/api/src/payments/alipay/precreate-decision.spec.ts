import type { AlipayOutcome, PrecreateResult } from './alipay.client.js';
import { decidePrecreate, type PrecreateDecision } from './precreate-decision.js';

const TRADE_NO = '20261130120000abcdef0123456789abcd';

describe('decidePrecreate', () => {
  it.each<[string, AlipayOutcome<PrecreateResult>, PrecreateDecision['action']]>([
    [
      'a verified success naming our order',
      { kind: 'ok', data: { outTradeNo: TRADE_NO, qrCode: 'https://qr.alipay.com/bax01' } },
      'show',
    ],
    [
      'a success for another order',
      { kind: 'ok', data: { outTradeNo: 'other', qrCode: 'https://qr.alipay.com/bax01' } },
      'unknown',
    ],
    ['a success without a code', { kind: 'ok', data: { outTradeNo: TRADE_NO } }, 'unknown'],
    [
      'a business refusal (product not signed)',
      { kind: 'failed', code: '40004', subCode: 'ACQ.ACCESS_FORBIDDEN', message: '无权限' },
      'refused',
    ],
    [
      'a refused request (bad signature)',
      { kind: 'failed', code: '40002', subCode: 'isv.invalid-signature', message: '验签出错' },
      'refused',
    ],
    ['a timeout or 20000', { kind: 'unknown', reason: '20000 isp.unknow-error' }, 'unknown'],
  ])('%s -> %s', (_, answer, action) => {
    expect(decidePrecreate(answer, TRADE_NO).action).toBe(action);
  });

  it('keeps the code exactly as Alipay sent it', () => {
    const decision = decidePrecreate(
      { kind: 'ok', data: { outTradeNo: TRADE_NO, qrCode: 'http://127.0.0.1:8010/qr/abc?x=1' } },
      TRADE_NO,
    );
    expect(decision).toEqual({ action: 'show', qrCode: 'http://127.0.0.1:8010/qr/abc?x=1' });
  });
});
