import type { TradeRecord } from '../state/sandbox-state.js';
import {
  renderCancelledPage,
  renderCashierPage,
  renderErrorPage,
  renderPaidPage,
} from './cashier-views.js';

const merchant = { appId: '2021000000000001', sellerId: '2088000000000001' };
const T0 = Date.UTC(2026, 10, 26, 2, 0, 0);

function trade(overrides: Partial<TradeRecord> = {}): TradeRecord {
  return {
    outTradeNo: 'R1',
    tradeNo: '2026112622001123456700000001',
    appId: merchant.appId,
    status: 'WAIT_BUYER_PAY',
    totalFen: 1050,
    subject: '赞赏《荏苒》',
    gmtCreate: T0,
    timeExpire: T0 + 15 * 60_000,
    returnUrl: 'http://127.0.0.1:8080/wallet',
    refundedFen: 0,
    refunds: [],
    ...overrides,
  };
}

const pages = [
  ['cashier', (t: TradeRecord) => renderCashierPage(t, merchant)],
  ['cancelled', (t: TradeRecord) => renderCancelledPage(t)],
  ['paid', (t: TradeRecord) => renderPaidPage(t, merchant)],
] as const;

describe('cashier views', () => {
  it('shows what Alipay’s cashier shows, under the sandbox banner', () => {
    const body = renderCashierPage(trade(), merchant);
    for (const text of [
      '沙箱环境',
      '2021000000000001',
      '2088000000000001',
      '赞赏《荏苒》',
      '￥10.50',
      'buyer@sandbox.alipay.test',
      '确认付款',
      '取消',
      '2026-11-26 10:15:00',
      'action="/cashier/R1/pay"',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).not.toMatch(/<script|src=|https?:\/\/(?!127)/);
  });

  it.each(pages)('escapes the subject on the %s page', (_name, render) => {
    const body = render(trade({ subject: '<script>alert("x")</script>' }));
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('escapes what an error page repeats from the request', () => {
    const body = renderErrorPage({
      code: '40002',
      msg: 'Invalid Arguments',
      subCode: 'isv.invalid-signature',
      subMsg: '验签字符串为：a=<img src=x onerror=alert(1)>',
    });
    expect(body).toContain('isv.invalid-signature');
    expect(body).toContain('沙箱环境');
    expect(body).not.toContain('<img');
    expect(body).not.toContain('确认付款');
  });

  it('links the cancelled page back to the cashier and the merchant site', () => {
    const body = renderCancelledPage(trade());
    expect(body).toContain('href="/cashier/R1"');
    expect(body).toContain('href="http://127.0.0.1:8080/"');
  });
});
