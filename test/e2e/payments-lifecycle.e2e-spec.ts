import request from 'supertest';
import { ReconciliationService } from '../../apps/api/src/payments/reconciliation.service.js';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

interface SandboxTrade {
  out_trade_no: string;
  trade_status: string;
}

describe('the money path through the Alipay sandbox', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '荏苒作者',
      reader: '爱读书的小王',
      article: '这些话没人告诉你',
    }));
  });
  afterEach(() => h.sandboxApi('DELETE', '/sandbox/faults'));
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  async function order(money: string, extra: Record<string, unknown> = {}, payer = reader) {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .send({ article_id: articleId, pay_type: 0, money, ...extra })
      .expect(201);
    return body as { trade_no: string; pay_url: string };
  }

  const status = async (tradeNo: string) =>
    (
      await h.dataSource.query<{ status: number }[]>(
        'SELECT status FROM rewards WHERE trade_no = $1',
        [tradeNo],
      )
    )[0].status;
  const money = async (userId: number) =>
    Number(
      (
        await h.dataSource.query<{ money: string }[]>('SELECT money FROM users WHERE id = $1', [
          userId,
        ])
      )[0].money,
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

  /** Makes an order due for reconciliation now, optionally already past its expiry. */
  async function makeDue(tradeNo: string, expired: boolean) {
    await h.dataSource.query(
      `UPDATE rewards SET next_check_at = now() - interval '1 second'
              ${expired ? ", time_expire = now() - interval '1 second'" : ''}
        WHERE trade_no = $1`,
      [tradeNo],
    );
  }

  it('create -> open pay_url -> 确认付款 -> notify -> settled; the return verifies', async () => {
    const authorBefore = await money(author.id);
    const created = await order('5.00', { message: '写得真好' });
    const cashier = await fetch(created.pay_url);
    const page = await cashier.text();
    expect(page).toContain('沙箱环境');
    expect(page).toContain('5.00');

    const paid = await fetch(`${h.sandbox.url}/cashier/${created.trade_no}/pay`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(paid.status).toBe(302);
    const returnUrl = new URL(paid.headers.get('location')!);
    expect(`${returnUrl.origin}${returnUrl.pathname}`).toBe('http://127.0.0.1:8080/wallet');

    await until(
      async () => (await status(created.trade_no)) === 1,
      'the notification to settle the order',
    );
    expect((await money(author.id)) - authorBefore).toBe(500);

    const result = await request(h.http)
      .get('/payments/alipay/result/')
      .query(Object.fromEntries(returnUrl.searchParams))
      .set(reader.auth)
      .expect(200);
    expect(result.body).toMatchObject({
      trade_no: created.trade_no,
      status: 1,
      money: '5.00',
      pay_url: null,
    });
    expect(result.body.paid_time).toEqual(expect.any(String));
  });

  it('settles through reconciliation when every notification is dropped', async () => {
    await h.sandboxApi('POST', '/sandbox/faults', {
      drop_notifications: 1000,
      drop_permanently: true,
    });
    const created = await order('8.88');
    await fetch(created.pay_url);
    await h.sandboxApi('POST', `/sandbox/trades/${created.trade_no}/pay`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await status(created.trade_no)).toBe(0);

    await makeDue(created.trade_no, false);
    const swept = await h.app.get(ReconciliationService).sweep();
    expect(swept.orders).toBeGreaterThanOrEqual(1);
    expect(await status(created.trade_no)).toBe(1);
  });

  it('expires a stale order by closing its trade at the sandbox; a late paid notice still settles', async () => {
    const created = await order('2.00');
    await fetch(created.pay_url);
    expect((await sandboxTrade(created.trade_no)).trade_status).toBe('WAIT_BUYER_PAY');
    await makeDue(created.trade_no, true);
    await h.app.get(ReconciliationService).sweep();
    expect(await status(created.trade_no)).toBe(3);
    expect((await sandboxTrade(created.trade_no)).trade_status).toBe('TRADE_CLOSED');
    // Closed at Alipay: the buyer can no longer pay it there.
    const refused = await fetch(`${h.sandbox.url}/sandbox/trades/${created.trade_no}/pay`, {
      method: 'POST',
    });
    expect(refused.status).toBe(409);

    // Yet if Alipay did take the reader's money (it says so, signed), the order settles.
    const authorBefore = await money(author.id);
    const late = await request(h.http)
      .post('/payments/alipay/result/')
      .type('form')
      .send(h.signedNotice({ out_trade_no: created.trade_no, total_amount: '2.00' }));
    expect(late.text).toBe('success');
    expect(await status(created.trade_no)).toBe(1);
    expect((await money(author.id)) - authorBefore).toBe(200);
  });

  it('expires an order whose cashier was never opened (ACQ.TRADE_NOT_EXIST)', async () => {
    const created = await order('1.00');
    await makeDue(created.trade_no, true);
    await h.app.get(ReconciliationService).sweep();
    expect(await status(created.trade_no)).toBe(3);
  });

  it('keeps a pending order unchanged while the sandbox answers 20000, then settles it', async () => {
    await h.sandboxApi('POST', '/sandbox/faults', {
      drop_notifications: 1000,
      drop_permanently: true,
    });
    const created = await order('4.00');
    await fetch(created.pay_url);
    await h.sandboxApi('POST', `/sandbox/trades/${created.trade_no}/pay`);
    await h.sandboxApi('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 100 } });
    await makeDue(created.trade_no, true);
    await h.app.get(ReconciliationService).sweep();
    expect(await status(created.trade_no)).toBe(0);

    await h.sandboxApi('POST', '/sandbox/faults', { open_api: { mode: 'normal', count: 0 } });
    const synced = await request(h.http)
      .post(`/admin/rewards/${created.trade_no}/sync`)
      .set(staff.auth)
      .expect(200);
    expect(synced.body).toMatchObject({ checked: 'settled', order: { status: 1 } });
  });

  it('cancels a pending order: closes the trade first, then status 2', async () => {
    const created = await order('3.00');
    await fetch(created.pay_url);
    const cancelled = await request(h.http)
      .post(`/payments/rewards/${created.trade_no}/cancel`)
      .set(reader.auth)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 2, status_text: '已取消', pay_url: null });
    expect((await sandboxTrade(created.trade_no)).trade_status).toBe('TRADE_CLOSED');
    await request(h.http)
      .post(`/payments/rewards/${created.trade_no}/cancel`)
      .set(reader.auth)
      .expect(409);
    const stranger = await signUp(h);
    const other = await order('3.00');
    await request(h.http)
      .post(`/payments/rewards/${other.trade_no}/cancel`)
      .set(stranger.auth)
      .expect(404);
  });

  it('does not cancel while Alipay cannot be reached', async () => {
    const created = await order('3.00');
    await fetch(created.pay_url);
    await h.sandboxApi('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 5 } });
    await request(h.http)
      .post(`/payments/rewards/${created.trade_no}/cancel`)
      .set(reader.auth)
      .expect(503);
    expect(await status(created.trade_no)).toBe(0);
  });

  describe('refunds', () => {
    async function paidOrder(amount: string, opened = true) {
      const created = await order(amount);
      if (opened) {
        await fetch(created.pay_url);
        await h.sandboxApi('POST', `/sandbox/trades/${created.trade_no}/pay`);
        await until(async () => (await status(created.trade_no)) === 1, 'settlement');
      } else {
        await request(h.http)
          .post('/payments/alipay/result/')
          .type('form')
          .send(h.signedNotice({ out_trade_no: created.trade_no, total_amount: amount }))
          .expect(200);
      }
      return created.trade_no;
    }
    const rewardCount = async () => {
      const [row] = await h.dataSource.query<{ reward_count: number }[]>(
        'SELECT reward_count FROM articles WHERE id = $1',
        [articleId],
      );
      return row.reward_count;
    };

    it('succeeds: the author is debited, the trade refunded at Alipay, status 4', async () => {
      const tradeNo = await paidOrder('6.00');
      const [authorBefore, countBefore] = [await money(author.id), await rewardCount()];
      const refunded = await request(h.http)
        .post(`/admin/rewards/${tradeNo}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(refunded.body).toMatchObject({
        status: 4,
        status_text: '已退款',
        refund: { status: 'succeeded' },
      });
      expect(authorBefore - (await money(author.id))).toBe(600);
      expect(await rewardCount()).toBe(countBefore - 1);
      expect((await sandboxTrade(tradeNo)).trade_status).toBe('TRADE_CLOSED');
      await request(h.http).post(`/admin/rewards/${tradeNo}/refund`).set(staff.auth).expect(409);
      await request(h.http).post(`/admin/rewards/${tradeNo}/refund`).set(reader.auth).expect(403);
    });

    it('fails at Alipay: the reserved money goes back to the author', async () => {
      // Settled on a signed notice, but the sandbox never saw the trade: it refuses the refund.
      const tradeNo = await paidOrder('7.00', false);
      const authorBefore = await money(author.id);
      const refused = await request(h.http)
        .post(`/admin/rewards/${tradeNo}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(refused.body).toMatchObject({ status: 1, refund: { status: 'failed' } });
      expect(refused.body.refund.failure_reason).toContain('ACQ.TRADE_NOT_EXIST');
      expect(await money(author.id)).toBe(authorBefore);
    });

    it('stays pending on an unknown outcome, then completes with the same out_request_no', async () => {
      const tradeNo = await paidOrder('9.00');
      const authorBefore = await money(author.id);
      await h.sandboxApi('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 2 } });
      const pending = await request(h.http)
        .post(`/admin/rewards/${tradeNo}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(pending.body).toMatchObject({ status: 1, refund: { status: 'pending' } });
      expect(authorBefore - (await money(author.id))).toBe(900); // reserved
      await h.ledgerOk(staff);

      await h.dataSource.query(
        "UPDATE refunds SET next_check_at = now() - interval '1 second' WHERE status = 'pending'",
      );
      const swept = await h.app.get(ReconciliationService).sweep();
      expect(swept.refunds).toBe(1);
      const done = await request(h.http)
        .get(`/payments/rewards/${tradeNo}`)
        .set(staff.auth)
        .expect(200);
      expect(done.body).toMatchObject({
        status: 4,
        refund: { status: 'succeeded', out_request_no: `R${tradeNo}` },
      });
      expect(authorBefore - (await money(author.id))).toBe(900);
    });

    it('answers 409 when the author balance cannot cover the refund', async () => {
      const poorAuthor = await signUp(h);
      const { body } = await request(h.http)
        .post('/article/')
        .set(poorAuthor.auth)
        .send({ name: 'p', content: 'c' })
        .expect(201);
      const created = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: body.id, pay_type: 0, money: '5.00' })
        .expect(201);
      await request(h.http)
        .post('/payments/alipay/result/')
        .type('form')
        .send(h.signedNotice({ out_trade_no: created.body.trade_no, total_amount: '5.00' }))
        .expect(200);
      // The author spends the money first (a balance tip of their own elsewhere).
      await h.dataSource.transaction(async (manager) => {
        await manager.query('UPDATE users SET money = money - 300 WHERE id = $1', [poorAuthor.id]);
        await manager.query(
          `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount)
           VALUES ('spend:1:user', 'spend:1', 'grant', 'user', $1, -300), ('spend:1:grants', 'spend:1', 'grant', 'grants', NULL, 300)`,
          [poorAuthor.id],
        );
      });
      const refused = await request(h.http)
        .post(`/admin/rewards/${created.body.trade_no}/refund`)
        .set(staff.auth)
        .expect(409);
      expect(refused.body.message).toBe('作者余额不足以退款');
      expect(await status(created.body.trade_no)).toBe(1);
    });

    it('refunds a balance tip to the payer inside one transaction', async () => {
      const payer = await signUp(h);
      await h.grant(payer.id, 1_000);
      const { body } = await request(h.http)
        .post('/payments/alipay/')
        .set(payer.auth)
        .send({ article_id: articleId, pay_type: 1, money: '10.00' })
        .expect(201);
      const refunded = await request(h.http)
        .post(`/admin/rewards/${body.trade_no}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(refunded.body).toMatchObject({ status: 4, refund: { status: 'succeeded' } });
      expect(await money(payer.id)).toBe(1_000);
    });
  });

  describe('wallets, supporters and admin views', () => {
    it('shows given and received tips, and supporters with amounts only to those entitled', async () => {
      const fan = await signUp(h, { nickname: '匿名的粉丝' });
      await h.grant(fan.id, 2_000);
      await request(h.http)
        .post('/payments/alipay/')
        .set(fan.auth)
        .send({
          article_id: articleId,
          pay_type: 1,
          money: '2',
          anonymous: true,
          message: '<script>alert(1)</script>',
        })
        .expect(201);

      const wallet = await request(h.http).get('/users/me/wallet').set(fan.auth).expect(200);
      expect(wallet.body).toMatchObject({
        money: '18.00',
        given: { total: 1 },
        received: { total: 0 },
      });
      expect(wallet.body.given.items[0]).toMatchObject({
        money: '2.00',
        status: 1,
        anonymous: true,
      });

      const authorWallet = await request(h.http)
        .get('/users/me/wallet')
        .set(author.auth)
        .expect(200);
      const anonymousTip = authorWallet.body.received.items.find(
        (item: { anonymous: boolean }) => item.anonymous,
      );
      expect(anonymousTip).toMatchObject({
        payer: { id: null, nickname: '匿名读者', avatar: null },
        message: '<script>alert(1)</script>',
      });

      const publicView = await request(h.http).get(`/article/${articleId}/rewards`).expect(200);
      expect(publicView.body.count).toBe(publicView.body.supporters.length);
      expect(publicView.body.supporters.map((s: { nickname: string }) => s.nickname)).toEqual(
        expect.arrayContaining(['匿名读者', '爱读书的小王']),
      );
      expect(publicView.body.supporters.some((s: object) => 'money' in s || 'message' in s)).toBe(
        false,
      );
      expect(JSON.stringify(publicView.body)).not.toContain('匿名的粉丝');

      const authorView = await request(h.http)
        .get(`/article/${articleId}/rewards`)
        .set(author.auth)
        .expect(200);
      expect(authorView.body.supporters.every((s: object) => 'money' in s)).toBe(true);
      const fanView = await request(h.http)
        .get(`/article/${articleId}/rewards`)
        .set(fan.auth)
        .expect(200);
      expect(fanView.body.supporters.filter((s: object) => 'money' in s)).toEqual([
        expect.objectContaining({ nickname: '匿名读者', money: '2.00', is_me: true }),
      ]);
      await request(h.http).get('/article/999999/rewards').expect(404);
    });

    it('lists, filters and totals orders for staff only', async () => {
      const paid = await request(h.http)
        .get('/admin/rewards')
        .query({ status: 1, article_id: articleId, page_size: 5 })
        .set(staff.auth)
        .expect(200);
      expect(paid.body.total).toBeGreaterThan(0);
      expect(paid.body.items.every((item: { status: number }) => item.status === 1)).toBe(true);
      expect(paid.body.items[0]).toMatchObject({
        payer: expect.any(Object),
        author: { nickname: '荏苒作者' },
      });
      await request(h.http).get('/admin/rewards').query({ status: 9 }).set(staff.auth).expect(400);
      await request(h.http).get('/admin/rewards').set(reader.auth).expect(403);

      const stats = await request(h.http).get('/admin/stats').set(staff.auth).expect(200);
      expect(stats.body.by_status).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            status: 1,
            orders: expect.any(Number),
            amount: expect.any(String),
          }),
        ]),
      );
      expect(stats.body.by_day[0].day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  });
});
