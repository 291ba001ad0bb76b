import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { signAsAlipay } from '../support/alipay-signer.js';
import {
  castForTipping,
  createPaymentsHarness,
  TEST_APP_ID,
  TEST_SELLER_ID,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

/** A key that is not Alipay's: its signatures must not verify. */
const otherKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

describe('Alipay notifications and returns', () => {
  let h: PaymentsHarness;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ reader, staff, articleId } = await castForTipping(h, {
      author: '作者',
      reader: '读者',
      article: '浙大学霸最美笔记',
    }));
  });
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  async function newOrder(money = '5.00'): Promise<string> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money })
      .expect(201);
    return body.trade_no as string;
  }

  const notify = (form: Record<string, string>) =>
    request(h.http).post('/payments/alipay/result/').type('form').send(form);

  async function state(tradeNo: string) {
    const [row] = await h.dataSource.query(
      `SELECT r.status, r.platform_trade_no,
              (SELECT money FROM users WHERE id = r.author_id) AS author_money,
              (SELECT reward_count FROM articles WHERE id = r.article_id) AS reward_count,
              (SELECT count(*)::int FROM ledger_entries WHERE movement = 'reward:' || r.id || ':settle') AS entries,
              (SELECT count(*)::int FROM alipay_notifications WHERE out_trade_no = r.trade_no) AS notices
         FROM rewards r WHERE r.trade_no = $1`,
      [tradeNo],
    );
    return row as {
      status: number;
      platform_trade_no: string | null;
      author_money: string;
      reward_count: number;
      entries: number;
      notices: number;
    };
  }

  it('settles a good notice once, answering exactly "success"', async () => {
    const tradeNo = await newOrder();
    const before = await state(tradeNo);
    const form = h.signedNotice({
      out_trade_no: tradeNo,
      total_amount: '5.00',
      trade_no: '2026112622001400000000000001',
    });
    const response = await notify(form).expect(200);
    expect(response.text).toBe('success');
    const after = await state(tradeNo);
    expect(after).toMatchObject({
      status: 1,
      platform_trade_no: '2026112622001400000000000001',
      entries: 2,
      notices: 1,
    });
    expect(Number(after.author_money) - Number(before.author_money)).toBe(500);
    expect(after.reward_count).toBe(before.reward_count + 1);

    // Resent (same notify_id): answered success again, one row counting two deliveries.
    expect((await notify(form)).text).toBe('success');
    const [row] = await h.dataSource.query(
      'SELECT deliveries, outcome FROM alipay_notifications WHERE notify_id = $1',
      [form.notify_id],
    );
    expect(row).toEqual({ deliveries: 2, outcome: 'settled' });
    expect(await state(tradeNo)).toEqual(after);
  });

  it('settles 30 identical notices sent concurrently exactly once', async () => {
    const tradeNo = await newOrder('7.77');
    const before = await state(tradeNo);
    const form = h.signedNotice({ out_trade_no: tradeNo, total_amount: '7.77' });
    const answers = await Promise.all(Array.from({ length: 30 }, () => notify(form)));
    expect(answers.map((answer) => answer.text)).toEqual(Array(30).fill('success'));
    const after = await state(tradeNo);
    expect(Number(after.author_money) - Number(before.author_money)).toBe(777);
    expect(after).toMatchObject({ status: 1, entries: 2, reward_count: before.reward_count + 1 });
  });

  it('credits nothing more for a TRADE_FINISHED after settlement', async () => {
    const tradeNo = await newOrder('3');
    await notify(h.signedNotice({ out_trade_no: tradeNo, total_amount: '3.00' })).expect(200);
    const settled = await state(tradeNo);
    const finished = await notify(
      h.signedNotice({
        out_trade_no: tradeNo,
        total_amount: '3.00',
        trade_status: 'TRADE_FINISHED',
      }),
    );
    expect(finished.text).toBe('success');
    expect(await state(tradeNo)).toEqual({ ...settled, notices: 2 });
  });

  it.each([
    [
      'a bad signature',
      (form: Record<string, string>) => ({
        ...form,
        sign: form.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      }),
    ],
    ['no signature', (form: Record<string, string>) => ({ ...form, sign: '' })],
    [
      'a field changed after signing',
      (form: Record<string, string>) => ({ ...form, total_amount: '500.00' }),
    ],
    [
      'a signature from another key',
      (form: Record<string, string>) => signAsAlipay({ ...form, sign: '' }, otherKey),
    ],
    [
      'a repeated field',
      (form: Record<string, string>) =>
        `${new URLSearchParams(form).toString()}&out_trade_no=again`,
    ],
  ])('answers "fail" and stores nothing for %s', async (_label, forge) => {
    const tradeNo = await newOrder();
    const forged = forge(h.signedNotice({ out_trade_no: tradeNo, total_amount: '5.00' }));
    const response = await request(h.http)
      .post('/payments/alipay/result/')
      .type('form')
      .send(forged)
      .expect(200);
    expect(response.text).toBe('fail');
    expect(await state(tradeNo)).toMatchObject({ status: 0, entries: 0, notices: 0 });
  });

  it.each([
    ['another app_id', { app_id: '2021999999999999' }, 'app_id_mismatch'],
    ['another seller_id', { seller_id: '2088999999999999' }, 'seller_id_mismatch'],
    ['an amount 0.01 short', { total_amount: '4.99' }, 'amount_mismatch'],
    ['WAIT_BUYER_PAY', { trade_status: 'WAIT_BUYER_PAY' }, 'ignored_status'],
    ['TRADE_CLOSED', { trade_status: 'TRADE_CLOSED' }, 'ignored_status'],
  ])('records %s, answers success, and settles nothing', async (_label, change, outcome) => {
    const tradeNo = await newOrder();
    const form = h.signedNotice({ out_trade_no: tradeNo, total_amount: '5.00', ...change });
    expect((await notify(form)).text).toBe('success');
    expect(await state(tradeNo)).toMatchObject({ status: 0, entries: 0, notices: 1 });
    const [row] = await h.dataSource.query(
      'SELECT outcome, payload FROM alipay_notifications WHERE notify_id = $1',
      [form.notify_id],
    );
    expect(row.outcome).toBe(outcome);
    expect(row.payload.out_trade_no).toBe(tradeNo);
  });

  it('records a verified notice for an unknown order and answers success', async () => {
    const form = h.signedNotice({ out_trade_no: 'no_such_order_0001', total_amount: '5.00' });
    expect((await notify(form)).text).toBe('success');
    const [row] = await h.dataSource.query(
      'SELECT outcome FROM alipay_notifications WHERE notify_id = $1',
      [form.notify_id],
    );
    expect(row.outcome).toBe('unknown_order');
  });

  it('keeps forged traffic out of the database entirely', async () => {
    const [{ n: before }] = await h.dataSource.query(
      'SELECT count(*)::int AS n FROM alipay_notifications',
    );
    for (let i = 0; i < 20; i++) {
      await notify({
        out_trade_no: `x${i}`,
        trade_status: 'TRADE_SUCCESS',
        total_amount: '1.00',
        sign: 'forged',
      }).expect(200);
    }
    await request(h.http).post('/payments/alipay/result/').send({ json: true }).expect(200);
    const [{ n: after }] = await h.dataSource.query(
      'SELECT count(*)::int AS n FROM alipay_notifications',
    );
    expect(after).toBe(before);
  });

  describe('the browser return', () => {
    function returnParams(tradeNo: string, amount: string): Record<string, string> {
      return signAsAlipay(
        {
          charset: 'utf-8',
          out_trade_no: tradeNo,
          method: 'alipay.trade.page.pay.return',
          total_amount: amount,
          trade_no: '2026112622001400000000000099',
          auth_app_id: TEST_APP_ID,
          version: '1.0',
          app_id: TEST_APP_ID,
          seller_id: TEST_SELLER_ID,
          timestamp: '2026-11-26 10:00:00',
        },
        h.keys.alipayPrivateKey,
      );
    }

    it('settles an order that alipay.trade.query reports paid', async () => {
      const created = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleId, pay_type: 0, money: '6.66' })
        .expect(201);
      const tradeNo = created.body.trade_no as string;
      // The buyer opens the cashier and pays; every notification is lost on the way.
      await fetch(created.body.pay_url);
      await h.sandboxApi('POST', '/sandbox/faults', {
        drop_notifications: 100,
        drop_permanently: true,
      });
      try {
        await h.sandboxApi('POST', `/sandbox/trades/${tradeNo}/pay`);
        const response = await request(h.http)
          .get('/payments/alipay/result/')
          .query(returnParams(tradeNo, '6.66'))
          .set(reader.auth)
          .expect(200);
        expect(response.body).toMatchObject({ trade_no: tradeNo, status: 1, money: '6.66' });
        expect(await state(tradeNo)).toMatchObject({ status: 1, entries: 2 });
      } finally {
        await h.sandboxApi('DELETE', '/sandbox/faults');
      }
    });

    it('does not credit a pending order on the return alone', async () => {
      const created = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleId, pay_type: 0, money: '1.23' })
        .expect(201);
      const tradeNo = created.body.trade_no as string;
      const response = await request(h.http)
        .get('/payments/alipay/result/')
        .query(returnParams(tradeNo, '1.23'))
        .set(reader.auth)
        .expect(200);
      expect(response.body.status).toBe(0);
      expect(await state(tradeNo)).toMatchObject({ status: 0, entries: 0 });
    });

    it('answers 400 to a forged return and 401 without a token', async () => {
      const tradeNo = await newOrder();
      const forged = { ...returnParams(tradeNo, '5.00'), total_amount: '0.01' };
      const response = await request(h.http)
        .get('/payments/alipay/result/')
        .query(forged)
        .set(reader.auth)
        .expect(400);
      expect(response.body.message).toBe('支付结果签名无效');
      await request(h.http)
        .get('/payments/alipay/result/')
        .query(returnParams(tradeNo, '5.00'))
        .expect(401);
    });
  });
});
