import { AlipaySdk } from 'alipay-sdk';
import request from 'supertest';
import { ReconciliationService } from '../../apps/api/src/payments/reconciliation.service.js';
import { verifyAppSignature } from '../support/alipay-signer.js';
import {
  castForTipping,
  createPaymentsHarness,
  TEST_APP_ID,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

interface SandboxTrade {
  out_trade_no: string;
  trade_status: string;
  refund_fee: string;
  channel: string;
  qr_path: string | null;
}

interface OrderAnswer {
  trade_no: string;
  status: number;
  money: string;
  channel: string | null;
  pay_url: string | null;
  qr_code: string | null;
  time_expire: string;
}

describe('phones and scan-to-pay: wap and qr (precreate) channels', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;
  /** alipay-sdk's own RSA2 verification, holding the app's public key as "the other side". */
  let sdkWithAppKey: AlipaySdk;

  beforeAll(async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_ORDERS: '1000' });
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '手机作者',
      reader: '地铁上的读者',
      article: '在手机上读完的长文',
    }));
    sdkWithAppKey = new AlipaySdk({
      appId: TEST_APP_ID,
      privateKey: h.keys.alipayPrivateKey,
      alipayPublicKey: h.keys.appPublicKey,
    });
  });
  afterEach(() => h.sandboxApi('DELETE', '/sandbox/faults'));
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  const create = (body: Record<string, unknown>, key?: string) => {
    const call = request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, ...body });
    return key ? call.set('Idempotency-Key', key) : call;
  };

  /**
   * alipay-sdk's own verification (its sign content, sign_type kept, raw values) against the
   * app's public key: what Alipay's gateway checks our requests with.
   */
  const sdkAccepts = (params: Record<string, string>): boolean =>
    sdkWithAppKey.checkNotifySign(params, true);

  async function row(tradeNo: string) {
    const [found] = await h.dataSource.query(
      `SELECT r.status, r.channel, r.qr_code, r.next_check_at,
              (SELECT money FROM users WHERE id = r.author_id)::int AS author_money,
              (SELECT count(*)::int FROM ledger_entries WHERE movement = 'reward:' || r.id || ':settle') AS entries,
              (SELECT coalesce(sum(deliveries), 0)::int FROM alipay_notifications WHERE out_trade_no = r.trade_no) AS deliveries
         FROM rewards r WHERE r.trade_no = $1`,
      [tradeNo],
    );
    return found as {
      status: number;
      channel: string | null;
      qr_code: string | null;
      next_check_at: Date | null;
      author_money: number;
      entries: number;
      deliveries: number;
    };
  }
  const authorMoney = async () =>
    Number(
      (await h.dataSource.query('SELECT money FROM users WHERE id = $1', [author.id]))[0].money,
    );
  const sandboxTrade = (tradeNo: string) =>
    h.sandboxApi<SandboxTrade>('GET', `/sandbox/trades/${tradeNo}`);

  async function until(check: () => Promise<boolean>, what: string, ms = 8000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async function expireNow(tradeNo: string) {
    await h.dataSource.query(
      `UPDATE rewards SET next_check_at = now() - interval '1 second',
                          time_expire = now() - interval '1 second'
        WHERE trade_no = $1`,
      [tradeNo],
    );
    await h.app.get(ReconciliationService).sweep();
  }

  it('answers page by default, as before', async () => {
    const { body } = await create({ money: '1.00' }).expect(201);
    expect(body).toMatchObject({ channel: 'page', qr_code: null });
    expect(new URL(body.pay_url).searchParams.get('method')).toBe('alipay.trade.page.pay');
  });

  it('wap: a signed alipay.trade.wap.pay URL; the phone cashier pays, returns, notifies; settled once', async () => {
    const before = await authorMoney();
    const created = await create({ money: '6.60', channel: 'wap' }).expect(201);
    const order = created.body as OrderAnswer;
    expect(order).toMatchObject({ status: 0, money: '6.60', channel: 'wap', qr_code: null });

    const params = Object.fromEntries(new URL(order.pay_url!).searchParams);
    expect(params).toMatchObject({
      app_id: TEST_APP_ID,
      method: 'alipay.trade.wap.pay',
      sign_type: 'RSA2',
      notify_url: `${h.apiUrl}/payments/alipay/result/`,
      return_url: 'http://127.0.0.1:8080/wallet',
    });
    expect(sdkAccepts(params)).toBe(true);
    expect(verifyAppSignature(params, h.keys.appPublicKey)).toBe(true);
    expect(sdkAccepts({ ...params, biz_content: params.biz_content.replace('6.60', '0.01') })).toBe(
      false,
    );
    const biz = JSON.parse(params.biz_content);
    expect(biz).toEqual({
      out_trade_no: order.trade_no,
      total_amount: '6.60',
      subject: '打赏文章《在手机上读完的长文》',
      product_code: 'QUICK_WAP_WAY',
      time_expire: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      quit_url: `http://127.0.0.1:8080/p/${articleId}`,
    });
    expect(Date.parse(`${biz.time_expire.replace(' ', 'T')}+08:00`)).toBe(
      Math.floor(Date.parse(order.time_expire) / 1000) * 1000,
    );

    const cashier = await (await fetch(order.pay_url!)).text();
    expect(cashier).toContain('手机收银台');
    expect(cashier).toContain('￥6.60');
    expect(cashier).toContain('确认付款');
    // 取消 leads back to the article (quit_url).
    const cancelled = await (
      await fetch(`${h.sandbox.url}/cashier/${order.trade_no}/cancel`)
    ).text();
    expect(cancelled).toContain(`href="http://127.0.0.1:8080/p/${articleId}"`);

    await h.sandboxApi('POST', '/sandbox/faults', { duplicate_notifications: 3, concurrent: true });
    const paid = await fetch(`${h.sandbox.url}/cashier/${order.trade_no}/pay`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(paid.status).toBe(302);
    const back = new URL(paid.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe('http://127.0.0.1:8080/wallet');
    expect(back.searchParams.get('method')).toBe('alipay.trade.wap.pay.return');

    await until(
      async () => (await row(order.trade_no)).deliveries >= 4,
      'four copies of the notice',
    );
    const settled = await row(order.trade_no);
    expect(settled).toMatchObject({ status: 1, channel: 'wap', entries: 2 });
    expect((await authorMoney()) - before).toBe(660);

    const returned = await request(h.http)
      .get('/payments/alipay/result/')
      .query(Object.fromEntries(back.searchParams))
      .set(reader.auth)
      .expect(200);
    expect(returned.body).toMatchObject({ trade_no: order.trade_no, status: 1, channel: 'wap' });
    const shown = await request(h.http)
      .get(`/payments/rewards/${order.trade_no}`)
      .set(author.auth)
      .expect(200);
    expect(shown.body).toMatchObject({ status: 1, channel: 'wap', pay_url: null, qr_code: null });
  });

  it('qr: precreate answers a sandbox code; the request is signed; the scanning phone pays; settled once', async () => {
    const before = await authorMoney();
    const created = await create({ money: '8.80', channel: 'qr' }, 'scan-1').expect(201);
    const order = created.body as OrderAnswer;
    expect(order).toMatchObject({ status: 0, money: '8.80', channel: 'qr', pay_url: null });
    const trade = await sandboxTrade(order.trade_no);
    expect(trade).toMatchObject({ channel: 'qr', trade_status: 'WAIT_BUYER_PAY' });
    expect(order.qr_code).toBe(`${h.sandbox.url}${trade.qr_path}`);
    expect(order.qr_code).toMatch(/\/qr\/bax[0-9a-f]{24}$/);
    expect((await row(order.trade_no)).qr_code).toBe(order.qr_code);

    // What the API sent to the gateway, as the sandbox received and verified it.
    const { requests } = await h.sandboxApi<{ requests: { params: Record<string, string> }[] }>(
      'GET',
      `/sandbox/requests?out_trade_no=${order.trade_no}`,
    );
    expect(requests).toHaveLength(1);
    const sent = requests[0].params;
    expect(sent).toMatchObject({
      app_id: TEST_APP_ID,
      method: 'alipay.trade.precreate',
      sign_type: 'RSA2',
      notify_url: `${h.apiUrl}/payments/alipay/result/`,
    });
    expect(sent.return_url).toBeUndefined();
    expect(sdkAccepts(sent)).toBe(true);
    expect(sdkAccepts({ ...sent, notify_url: 'https://evil.example/' })).toBe(false);
    const biz = JSON.parse(sent.biz_content);
    expect(biz).toMatchObject({
      out_trade_no: order.trade_no,
      total_amount: '8.80',
      product_code: 'FACE_TO_FACE_PAYMENT',
    });
    expect(Date.parse(`${biz.time_expire.replace(' ', 'T')}+08:00`)).toBe(
      Math.floor(Date.parse(order.time_expire) / 1000) * 1000,
    );

    // A double click answers the same code; the same key for another channel is a 409.
    const replay = await create({ money: '8.80', channel: 'qr' }, 'scan-1').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ trade_no: order.trade_no, qr_code: order.qr_code });
    const other = await create({ money: '8.80', channel: 'wap' }, 'scan-1').expect(409);
    expect(other.body.message).toContain('Idempotency-Key');

    const phone = await fetch(order.qr_code!);
    const page = await phone.text();
    expect(phone.status).toBe(200);
    expect(page).toContain('￥8.80');
    expect(page).toContain('沙箱商户');
    expect(page).toContain('确认付款');

    await h.sandboxApi('POST', '/sandbox/faults', { duplicate_notifications: 2, concurrent: true });
    const paid = await fetch(`${order.qr_code}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(200); // a receipt on the phone, no return anywhere
    expect(await paid.text()).toContain('付款成功');

    await until(
      async () => (await row(order.trade_no)).deliveries >= 3,
      'three copies of the notice',
    );
    expect(await row(order.trade_no)).toMatchObject({ status: 1, channel: 'qr', entries: 2 });
    expect((await authorMoney()) - before).toBe(880);
    const shown = await request(h.http)
      .get(`/payments/rewards/${order.trade_no}`)
      .set(reader.auth)
      .expect(200);
    expect(shown.body).toMatchObject({ status: 1, channel: 'qr', pay_url: null, qr_code: null });

    // A scanned trade refunds like any other: alipay.trade.refund on the same out_trade_no.
    await request(h.http)
      .post(`/admin/rewards/${order.trade_no}/refund`)
      .set(staff.auth)
      .expect(200);
    expect((await row(order.trade_no)).status).toBe(4);
    expect(await authorMoney()).toBe(before);
    expect(await sandboxTrade(order.trade_no)).toMatchObject({
      trade_status: 'TRADE_CLOSED',
      refund_fee: '8.80',
    });
  });

  it('refuses a channel with pay_type 1 and an unknown channel (400, no row)', async () => {
    const [{ n: before }] = await h.dataSource.query('SELECT count(*)::int AS n FROM rewards');
    const balance = await create({ money: '1', pay_type: 1, channel: 'wap' }).expect(400);
    expect(balance.body.message).toContain('channel');
    const unknown = await create({ money: '1', channel: 'bank' }).expect(400);
    expect(JSON.stringify(unknown.body.message)).toContain('channel 只能是 page、wap 或 qr');
    const [{ n: after }] = await h.dataSource.query('SELECT count(*)::int AS n FROM rewards');
    expect(after).toBe(before);
  });

  it('precreate refused (product not signed): 502 and the order is cancelled', async () => {
    await h.sandboxApi('POST', '/sandbox/faults', {
      open_api: { mode: '40004', count: 1, methods: ['alipay.trade.precreate'] },
    });
    const refused = await create({ money: '2.00', channel: 'qr' }).expect(502);
    expect(refused.body.message).toContain('订单已取消');
    const [order] = await h.dataSource.query(
      `SELECT trade_no, status, next_check_at, qr_code FROM rewards
        WHERE user_id = $1 ORDER BY id DESC LIMIT 1`,
      [reader.id],
    );
    expect(order).toMatchObject({ status: 2, next_check_at: null, qr_code: null });
  });

  it('precreate outcome unknown: 503, the order stays pending on the ladder and still settles', async () => {
    // The sandbox makes the trade but the answer is lost.
    await h.sandboxApi('POST', '/sandbox/faults', {
      open_api: { mode: '20000', count: 1, apply: true, methods: ['alipay.trade.precreate'] },
      drop_notifications: -1,
      drop_permanently: true,
    });
    const lost = await create({ money: '3.00', channel: 'qr' }, 'scan-lost').expect(503);
    expect(lost.body.message).toContain('付款码');
    const [{ trade_no: tradeNo }] = await h.dataSource.query(
      'SELECT trade_no FROM rewards WHERE user_id = $1 ORDER BY id DESC LIMIT 1',
      [reader.id],
    );
    const pending = await row(tradeNo);
    expect(pending).toMatchObject({ status: 0, channel: 'qr', qr_code: null });
    expect(pending.next_check_at).not.toBeNull();

    // Retrying the same request asks again and gets the code of the trade Alipay made.
    const retried = await create({ money: '3.00', channel: 'qr' }, 'scan-lost').expect(201);
    expect(retried.body.trade_no).toBe(tradeNo);
    expect(retried.body.qr_code).toBe(`${h.sandbox.url}${(await sandboxTrade(tradeNo)).qr_path}`);

    // Paid, notice lost: the ladder's query settles it.
    const before = await authorMoney();
    await h.sandboxApi('POST', `/sandbox/trades/${tradeNo}/pay`);
    await h.dataSource.query(
      `UPDATE rewards SET next_check_at = now() - interval '1 second' WHERE trade_no = $1`,
      [tradeNo],
    );
    await h.app.get(ReconciliationService).sweep();
    expect(await row(tradeNo)).toMatchObject({ status: 1, entries: 2 });
    expect((await authorMoney()) - before).toBe(300);
  });

  it.each(['qr', 'wap'])(
    '%s: an expired order is closed at Alipay and can no longer be paid there',
    async (channel) => {
      const { body } = await create({ money: '1.50', channel }).expect(201);
      const order = body as OrderAnswer;
      // The wap trade exists once the phone opens the cashier; the qr one at precreate.
      if (channel === 'wap') await fetch(order.pay_url!);
      expect((await sandboxTrade(order.trade_no)).trade_status).toBe('WAIT_BUYER_PAY');

      await expireNow(order.trade_no);
      expect((await row(order.trade_no)).status).toBe(3);
      expect((await sandboxTrade(order.trade_no)).trade_status).toBe('TRADE_CLOSED');
      const shown = await request(h.http)
        .get(`/payments/rewards/${order.trade_no}`)
        .set(reader.auth)
        .expect(200);
      expect(shown.body).toMatchObject({ status: 3, channel, pay_url: null, qr_code: null });

      const payPage =
        channel === 'qr'
          ? `${order.qr_code}/pay`
          : `${h.sandbox.url}/cashier/${order.trade_no}/pay`;
      const refused = await fetch(payPage, { method: 'POST', redirect: 'manual' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('ACQ.TRADE_HAS_CLOSE');
      const byControl = await fetch(`${h.sandbox.url}/sandbox/trades/${order.trade_no}/pay`, {
        method: 'POST',
      });
      expect(byControl.status).toBe(409);
      expect((await row(order.trade_no)).entries).toBe(0);
    },
  );
});
