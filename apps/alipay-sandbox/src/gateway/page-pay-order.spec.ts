import { GatewayError } from './gateway-error.js';
import { parsePagePayOrder, parsePayOrder } from './page-pay-order.js';

const NOW = Date.UTC(2026, 10, 26, 2, 0, 0); // 2026-11-26 10:00:00 in Beijing

const validBiz = {
  out_trade_no: 'R20261126_0001',
  total_amount: '10.50',
  subject: '赞赏《荏苒》',
  product_code: 'FAST_INSTANT_TRADE_PAY',
};

function request(biz: Record<string, unknown>, extra: Record<string, string> = {}) {
  return { biz_content: JSON.stringify(biz), ...extra };
}

function subMsgOf(params: Record<string, string>): string | undefined {
  try {
    parsePagePayOrder(params, NOW);
  } catch (error) {
    if (error instanceof GatewayError) return `${error.subCode} ${error.subMsg}`;
    throw error;
  }
  return undefined;
}

describe('parsePagePayOrder', () => {
  it('reads a complete order', () => {
    expect(
      parsePagePayOrder(
        request(
          { ...validBiz, time_expire: '2026-11-26 10:15:00' },
          {
            notify_url: 'http://127.0.0.1:8000/payments/alipay/result/',
            return_url: 'http://127.0.0.1:8080/wallet',
          },
        ),
        NOW,
      ),
    ).toEqual({
      channel: 'page',
      outTradeNo: 'R20261126_0001',
      totalFen: 1050,
      subject: '赞赏《荏苒》',
      timeExpire: NOW + 15 * 60_000,
      notifyUrl: 'http://127.0.0.1:8000/payments/alipay/result/',
      returnUrl: 'http://127.0.0.1:8080/wallet',
    });
  });

  it.each([
    [{ total_amount: '0.01' }, { totalFen: 1 }],
    [{ total_amount: '100000000' }, { totalFen: 10_000_000_000 }],
    [{ total_amount: '100000000.00' }, { totalFen: 10_000_000_000 }],
    [{ total_amount: 10.5 }, { totalFen: 1050 }],
    [{ total_amount: '7' }, { totalFen: 700 }],
    [{ out_trade_no: 'a'.repeat(64) }, { outTradeNo: 'a'.repeat(64) }],
    [{ time_expire: '2026-11-26 10:15' }, { timeExpire: NOW + 15 * 60_000 }],
    [{ timeout_express: '90m' }, { timeExpire: NOW + 90 * 60_000 }],
    [{ timeout_express: '15d' }, { timeExpire: NOW + 15 * 86_400_000 }],
    [
      { timeout_express: '5m', time_expire: '2026-11-26 11:00:00' },
      { timeExpire: NOW + 60 * 60_000 },
    ],
  ])('accepts %j', (change, expected) => {
    expect(parsePagePayOrder(request({ ...validBiz, ...change }), NOW)).toMatchObject(expected);
  });

  it.each([
    [{ total_amount: '0' }, 'total_amount'],
    [{ total_amount: '0.00' }, 'total_amount'],
    [{ total_amount: '-1.00' }, 'total_amount'],
    [{ total_amount: '1.005' }, 'total_amount'],
    [{ total_amount: '100000000.01' }, 'total_amount'],
    [{ total_amount: '1e3' }, 'total_amount'],
    [{ total_amount: 'ten' }, 'total_amount'],
    [{ total_amount: null }, 'total_amount'],
    [{ out_trade_no: 'R-1' }, 'out_trade_no'],
    [{ out_trade_no: 'a'.repeat(65) }, 'out_trade_no'],
    [{ out_trade_no: '' }, 'out_trade_no'],
    [{ product_code: 'QUICK_WAP_WAY' }, 'product_code'],
    [{ subject: '' }, 'subject'],
    [{ subject: 'a/b' }, 'subject'],
    [{ subject: 'a=b' }, 'subject'],
    [{ subject: 'a&b' }, 'subject'],
    [{ subject: '长'.repeat(257) }, 'subject'],
    [{ time_expire: '2026-11-26T10:15:00' }, 'time_expire'],
    [{ time_expire: '2026-02-30 10:15:00' }, 'time_expire'],
    [{ timeout_express: '0m' }, 'timeout_express'],
    [{ timeout_express: '16d' }, 'timeout_express'],
    [{ timeout_express: '10s' }, 'timeout_express'],
  ])('refuses %j naming %s', (change, field) => {
    expect(subMsgOf(request({ ...validBiz, ...change }))).toMatch(
      new RegExp(`^ACQ.INVALID_PARAMETER .*${field}`),
    );
  });

  it.each([
    [{ notify_url: 'ftp://example.com/notify' }, 'notify_url'],
    [{ return_url: 'javascript:alert(1)' }, 'return_url'],
  ])('refuses %j', (extra, field) => {
    expect(subMsgOf(request(validBiz, extra))).toContain(field);
  });

  it.each([
    [{}, 'isv.missing-biz-content'],
    [{ biz_content: '{oops' }, 'isv.invalid-parameter'],
    [{ biz_content: '[1]' }, 'isv.invalid-parameter'],
  ])('refuses the biz_content of %j', (params, subCode) => {
    expect(subMsgOf(params)).toMatch(new RegExp(`^${subCode}`));
  });

  it("reads a wap order with its quit_url, and refuses page pay's product code for it", () => {
    const params = request(
      { ...validBiz, product_code: 'QUICK_WAP_WAY', quit_url: 'http://127.0.0.1:8080/p/7' },
      { return_url: 'http://127.0.0.1:8080/wallet' },
    );
    expect(parsePayOrder(params, NOW, 'wap')).toMatchObject({
      channel: 'wap',
      quitUrl: 'http://127.0.0.1:8080/p/7',
      returnUrl: 'http://127.0.0.1:8080/wallet',
    });
    expect(() => parsePayOrder(request(validBiz), NOW, 'wap')).toThrow(
      'product_code 必须是 QUICK_WAP_WAY',
    );
    expect(() =>
      parsePayOrder(
        request({ ...validBiz, product_code: 'QUICK_WAP_WAY', quit_url: 'x' }),
        NOW,
        'wap',
      ),
    ).toThrow('quit_url 必须是 http(s) 地址');
  });

  it('reads a precreate order: product code optional, no return (a scan has none)', () => {
    const { product_code: _, ...withoutProduct } = validBiz;
    const order = parsePayOrder(
      request(withoutProduct, { return_url: 'http://127.0.0.1:8080/wallet' }),
      NOW,
      'qr',
    );
    expect(order).toMatchObject({ channel: 'qr', totalFen: 1050 });
    expect(order.returnUrl).toBeUndefined();
    expect(
      parsePayOrder(request({ ...validBiz, product_code: 'FACE_TO_FACE_PAYMENT' }), NOW, 'qr'),
    ).toMatchObject({ channel: 'qr' });
    expect(() => parsePayOrder(request(validBiz), NOW, 'qr')).toThrow(
      'product_code 必须是 FACE_TO_FACE_PAYMENT',
    );
  });
});
