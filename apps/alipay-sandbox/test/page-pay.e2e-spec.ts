/**
 * alipay-sdk writes `timestamp` in the process's time zone; Alipay expects Beijing time.
 * @jest-environment <rootDir>/apps/alipay-sandbox/test/support/beijing-time-environment.mjs
 */
import type { AlipaySdk } from 'alipay-sdk';
import { createSign } from 'node:crypto';
import type { RunningSandbox } from '../src/start-sandbox.js';
import {
  APP_ID,
  SELLER_ID,
  beijingTime,
  control,
  generateKeys,
  strangerPrivateKey,
  merchantSdk,
  newOutTradeNo,
  openCashier,
  pressPay,
  removeDir,
  startNotifyReceiver,
  startTestSandbox,
  tempStateDir,
  type KeySet,
  type NotifyReceiver,
} from './support/sandbox-harness.js';

const RETURN_URL = 'http://127.0.0.1:8080/wallet';

describe('alipay.trade.page.pay through alipay-sdk', () => {
  let keys: KeySet;
  let stateDir: string;
  let sandbox: RunningSandbox;
  let sdk: AlipaySdk;
  let receiver: NotifyReceiver;

  beforeAll(async () => {
    keys = generateKeys();
    stateDir = tempStateDir();
    sandbox = await startTestSandbox(keys, stateDir);
    sdk = merchantSdk(keys, sandbox.gatewayUrl);
    receiver = await startNotifyReceiver();
  });

  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
    removeDir(stateDir);
    removeDir(keys.dir);
  });

  function payUrl(
    bizContent: Record<string, unknown>,
    client: AlipaySdk = sdk,
    urls: { notifyUrl?: string; returnUrl?: string } = {},
  ): string {
    return client.pageExec('alipay.trade.page.pay', 'GET', {
      bizContent: {
        productCode: 'FAST_INSTANT_TRADE_PAY',
        subject: '赞赏《荏苒》',
        totalAmount: '10.50',
        ...bizContent,
      },
      notifyUrl: urls.notifyUrl ?? receiver.url,
      returnUrl: urls.returnUrl ?? RETURN_URL,
    });
  }

  it('opens a Chinese cashier for the SDK’s signed URL', async () => {
    const outTradeNo = newOutTradeNo();
    const url = payUrl({
      outTradeNo,
      timeExpire: beijingTime(Date.now() + 15 * 60_000),
    });
    expect(url).toContain('alipay_sdk=');
    const { status, html } = await openCashier(url);
    expect(status).toBe(200);
    for (const text of [
      '沙箱环境',
      APP_ID,
      SELLER_ID,
      '赞赏《荏苒》',
      '￥10.50',
      '确认付款',
      '取消',
    ]) {
      expect(html).toContain(text);
    }
    const trade = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(trade.body).toMatchObject({
      out_trade_no: outTradeNo,
      trade_status: 'WAIT_BUYER_PAY',
      total_amount: '10.50',
      notify_url: receiver.url,
      return_url: RETURN_URL,
    });
    expect(trade.body.trade_no).toMatch(/^\d{28}$/);
  });

  it('also opens the cashier from the SDK’s POST form', async () => {
    const outTradeNo = newOutTradeNo();
    const form = sdk.pageExec('alipay.trade.page.pay', {
      method: 'POST',
      bizContent: {
        outTradeNo,
        productCode: 'FAST_INSTANT_TRADE_PAY',
        subject: 'POST 表单',
        totalAmount: '1.00',
      },
      notifyUrl: receiver.url,
      returnUrl: RETURN_URL,
    });
    const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
    const fields = [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(
      ([, name, value]): [string, string] => [name, value.replaceAll('&quot;', '"')],
    );
    const response = await fetch(action, {
      method: 'POST',
      body: new URLSearchParams(fields),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('POST 表单');
  });

  it('pays on 确认付款: signed notice to notify_url, signed return to return_url', async () => {
    const outTradeNo = newOutTradeNo();
    const before = receiver.received.length;
    const { html } = await openCashier(payUrl({ outTradeNo, totalAmount: '0.01' }));
    const paid = await pressPay(sandbox.url, html);
    expect(paid.status).toBe(302);
    const location = new URL(paid.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_URL);
    const returned = Object.fromEntries(location.searchParams);
    expect(returned).toMatchObject({
      method: 'alipay.trade.page.pay.return',
      out_trade_no: outTradeNo,
      total_amount: '0.01',
      app_id: APP_ID,
      auth_app_id: APP_ID,
      seller_id: SELLER_ID,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
    });
    expect(returned.trade_status).toBeUndefined();
    expect(sdk.checkNotifySignV2(returned)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...returned, total_amount: '100.00' })).toBe(false);
    // The raw query string must survive a plain decodeURIComponent too (no `+` for spaces).
    expect(location.search).not.toContain('+');

    const [notice] = (await receiver.waitFor(before + 1)).slice(before);
    expect(sdk.checkNotifySignV2(notice.params)).toBe(true);
    expect(notice.params).toMatchObject({
      notify_type: 'trade_status_sync',
      app_id: APP_ID,
      auth_app_id: APP_ID,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: returned.trade_no,
      out_trade_no: outTradeNo,
      seller_id: SELLER_ID,
      trade_status: 'TRADE_SUCCESS',
      total_amount: '0.01',
      receipt_amount: '0.01',
      buyer_pay_amount: '0.01',
      subject: '赞赏《荏苒》',
    });
    for (const field of [
      'notify_time',
      'notify_id',
      'buyer_id',
      'buyer_logon_id',
      'gmt_create',
      'gmt_payment',
    ]) {
      expect(notice.params[field]).toBeTruthy();
    }
    const trade = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(trade.body.trade_status).toBe('TRADE_SUCCESS');
  });

  it('shows the same trade when the same out_trade_no is opened twice', async () => {
    const outTradeNo = newOutTradeNo();
    await openCashier(payUrl({ outTradeNo }));
    const first = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    const again = await openCashier(payUrl({ outTradeNo }));
    expect(again.status).toBe(200);
    expect(again.html).toContain(String(first.body.trade_no));
    const second = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(second.body.trade_no).toBe(first.body.trade_no);
  });

  it('refuses a second open with another amount', async () => {
    const outTradeNo = newOutTradeNo();
    await openCashier(payUrl({ outTradeNo, totalAmount: '5.00' }));
    const { status, html } = await openCashier(payUrl({ outTradeNo, totalAmount: '6.00' }));
    expect(status).toBe(400);
    expect(html).toContain('ACQ.CONTEXT_INCONSISTENT');
    expect(html).not.toContain('确认付款');
  });

  it('refuses a request signed with another key', async () => {
    // One key, made without certificates: a long sync keygen here would stall the sandbox.
    const stranger = { alipayPrivateKey: strangerPrivateKey() };
    const wrong = merchantSdk(keys, sandbox.gatewayUrl, {
      privateKey: stranger.alipayPrivateKey,
      keyType: 'PKCS8',
    });
    const outTradeNo = newOutTradeNo();
    const { status, html } = await openCashier(payUrl({ outTradeNo }, wrong));
    expect(status).toBe(400);
    expect(html).toContain('isv.invalid-signature');
    expect(html).not.toContain('确认付款');
    expect((await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`)).status).toBe(404);
  });

  it('refuses a URL whose parameters were changed after signing', async () => {
    const url = new URL(payUrl({ outTradeNo: newOutTradeNo() }));
    url.searchParams.set('return_url', 'http://127.0.0.1:9999/evil');
    const { html } = await openCashier(url.toString());
    expect(html).toContain('isv.invalid-signature');
  });

  it('uses Beijing time for the SDK’s timestamp in this suite', () => {
    const url = new URL(payUrl({ outTradeNo: newOutTradeNo() }));
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const epochMs = Date.parse(`${timestamp.replace(' ', 'T')}+08:00`);
    expect(Math.abs(epochMs - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['16 minutes old', () => beijingTime(Date.now() - 16 * 60_000)],
    ['16 minutes ahead', () => beijingTime(Date.now() + 16 * 60_000)],
    // What a process outside Beijing time writes when TZ is not pinned.
    ['written in UTC', () => new Date().toISOString().slice(0, 19).replace('T', ' ')],
  ])('refuses a correctly signed request whose timestamp is %s', async (_name, timestamp) => {
    const params: Record<string, string> = {
      app_id: APP_ID,
      method: 'alipay.trade.page.pay',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      timestamp: timestamp(),
      biz_content: JSON.stringify({
        out_trade_no: newOutTradeNo(),
        total_amount: '1.00',
        subject: '过期请求',
        product_code: 'FAST_INSTANT_TRADE_PAY',
      }),
    };
    const content = Object.keys(params)
      .sort()
      .map((key) => `${key}=${params[key]}`)
      .join('&');
    params.sign = createSign('RSA-SHA256')
      .update(content, 'utf8')
      .sign(keys.appPrivateKey, 'base64');
    const { status, html } = await openCashier(
      `${sandbox.gatewayUrl}?${new URLSearchParams(params).toString()}`,
    );
    expect(status).toBe(400);
    expect(html).toContain('isv.invalid-timestamp');
    expect(html).not.toContain('确认付款');
  });

  it.each([
    ['a zero amount', { totalAmount: '0.00' }, 'total_amount'],
    ['three decimals', { totalAmount: '1.005' }, 'total_amount'],
    ['too much', { totalAmount: '100000000.01' }, 'total_amount'],
    ['a bad out_trade_no', { outTradeNo: 'R-1' }, 'out_trade_no'],
    ['another product', { productCode: 'QUICK_WAP_WAY' }, 'product_code'],
    ['a bad time_expire', { timeExpire: '2026/11/26 10:00' }, 'time_expire'],
  ])('refuses %s', async (_name, change, field) => {
    const { status, html } = await openCashier(payUrl({ outTradeNo: newOutTradeNo(), ...change }));
    expect(status).toBe(400);
    expect(html).toContain('ACQ.INVALID_PARAMETER');
    expect(html).toContain(field);
    expect(html).not.toContain('确认付款');
  });

  it('accepts the older time_expire format without seconds', async () => {
    const timeExpire = beijingTime(Date.now() + 30 * 60_000).slice(0, 16);
    const outTradeNo = newOutTradeNo();
    expect((await openCashier(payUrl({ outTradeNo, timeExpire }))).status).toBe(200);
    const trade = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(trade.body.time_expire).toBe(`${timeExpire}:00`);
  });

  it('escapes what the merchant sent', async () => {
    const { html } = await openCashier(
      payUrl({ outTradeNo: newOutTradeNo(), subject: '<script>alert("x")' }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('取消 shows a cancelled page, sends nothing, and the trade stays payable', async () => {
    const outTradeNo = newOutTradeNo();
    const { html } = await openCashier(payUrl({ outTradeNo }));
    const cancelHref = /href="([^"]+\/cancel)"/.exec(html)?.[1] ?? '';
    const cancelled = await fetch(new URL(cancelHref, sandbox.url));
    const page = await cancelled.text();
    expect(page).toContain('您已取消付款');
    expect(page).toContain(`href="/cashier/${outTradeNo}"`);
    const notices = await control<{ notices: unknown[] }>(
      sandbox,
      'GET',
      `/sandbox/notifications?out_trade_no=${outTradeNo}`,
    );
    expect(notices.body.notices).toEqual([]);
    const back = await fetch(new URL(`/cashier/${outTradeNo}`, sandbox.url));
    expect(await back.text()).toContain('确认付款');
  });

  it('refuses to pay a trade twice from the cashier', async () => {
    const outTradeNo = newOutTradeNo();
    const { html } = await openCashier(payUrl({ outTradeNo }, sdk, { returnUrl: RETURN_URL }));
    expect((await pressPay(sandbox.url, html)).status).toBe(302);
    const twice = await pressPay(sandbox.url, html);
    expect(twice.status).toBe(400);
    expect(twice.html).toContain('ACQ.TRADE_HAS_SUCCESS');
    const reopened = await openCashier(payUrl({ outTradeNo }));
    expect(reopened.html).toContain('ACQ.TRADE_HAS_SUCCESS');
  });
});
