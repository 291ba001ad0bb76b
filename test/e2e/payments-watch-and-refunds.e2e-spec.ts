import { jest } from '@jest/globals';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { AlipayClient } from '../../apps/api/src/payments/alipay/alipay.client.js';
import { ReconciliationService } from '../../apps/api/src/payments/reconciliation.service.js';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { publishArticle, signUp, type TestUser } from '../support/test-app.js';

interface Order {
  trade_no: string;
  pay_url: string;
}

/**
 * The money path rules added after the first outside review (DESIGN.md): cancelled and
 * expired orders keep being watched, refunds are confirmed before they are reversed, and
 * refunds made outside the system are booked or flagged.
 */
describe('late payments, refund confirmation and external refunds', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '晚到的作者',
      reader: '后悔的读者',
      article: '取消之后又付了款',
    }));
  });
  afterEach(() => h.sandboxApi('DELETE', '/sandbox/faults'));
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  async function order(money: string, payer = reader): Promise<Order> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .send({ article_id: articleId, pay_type: 0, money })
      .expect(201);
    return body as Order;
  }

  async function row(tradeNo: string) {
    const [found] = await h.dataSource.query<
      { id: number; status: number; next_check_at: Date | null; settled: number }[]
    >(
      `SELECT r.id, r.status, r.next_check_at,
              (SELECT count(*)::int FROM ledger_entries WHERE movement = 'reward:' || r.id || ':settle') AS settled
         FROM rewards r WHERE r.trade_no = $1`,
      [tradeNo],
    );
    return found;
  }

  const money = async (userId: number) =>
    Number(
      (
        await h.dataSource.query<{ money: string }[]>('SELECT money FROM users WHERE id = $1', [
          userId,
        ])
      )[0].money,
    );

  const sweep = () => h.app.get(ReconciliationService).sweep();

  /** A minute passes: the order's next check is due now. */
  const makeDue = (tradeNo: string) =>
    h.dataSource.query(
      "UPDATE rewards SET next_check_at = now() - interval '1 second' WHERE trade_no = $1",
      [tradeNo],
    );

  const dropEveryNotice = () =>
    h.sandboxApi('POST', '/sandbox/faults', { drop_notifications: -1, drop_permanently: true });

  async function until(check: () => Promise<boolean>, what: string, ms = 8000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  describe('cancelled and expired orders keep being watched', () => {
    it('cancel, then pay in the cashier with the notice lost: the watch settles it, once', async () => {
      await dropEveryNotice();
      const created = await order('3.00');
      const cancelled = await request(h.http)
        .post(`/payments/rewards/${created.trade_no}/cancel`)
        .set(reader.auth)
        .expect(200);
      expect(cancelled.body).toMatchObject({ status: 2, pay_url: null });
      const watched = await row(created.trade_no);
      expect(watched.next_check_at).not.toBeNull();
      expect(watched.next_check_at!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);

      // The page-pay URL the reader already had still opens the cashier, and 确认付款 pays.
      expect((await fetch(created.pay_url)).status).toBe(200);
      const paid = await fetch(`${h.sandbox.url}/cashier/${created.trade_no}/pay`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(paid.status).toBe(302);
      expect((await row(created.trade_no)).status).toBe(2);

      const authorBefore = await money(author.id);
      await makeDue(created.trade_no);
      await sweep();
      expect(await row(created.trade_no)).toMatchObject({
        status: 1,
        next_check_at: null,
        settled: 2,
      });
      expect((await money(author.id)) - authorBefore).toBe(300);

      await makeDue(created.trade_no);
      await sweep();
      expect((await row(created.trade_no)).settled).toBe(2);
      expect((await money(author.id)) - authorBefore).toBe(300);
    });

    it('an expired order whose cashier opens after our close is watched, and its payment settles late', async () => {
      await dropEveryNotice();
      const created = await order('2.50');
      // Our clock says it ran out; the cashier was never opened (ACQ.TRADE_NOT_EXIST).
      await h.dataSource.query(
        `UPDATE rewards SET next_check_at = now() - interval '1 second',
                time_expire = now() - interval '1 second' WHERE trade_no = $1`,
        [created.trade_no],
      );
      await sweep();
      const expired = await row(created.trade_no);
      expect(expired.status).toBe(3);
      expect(expired.next_check_at).not.toBeNull();

      // Alipay's clock is a little behind ours: the reader still gets in and pays.
      expect((await fetch(created.pay_url)).status).toBe(200);
      await h.sandboxApi('POST', `/sandbox/trades/${created.trade_no}/pay`);
      const authorBefore = await money(author.id);
      await makeDue(created.trade_no);
      await sweep();
      expect(await row(created.trade_no)).toMatchObject({ status: 1, settled: 2 });
      expect((await money(author.id)) - authorBefore).toBe(250);
    });

    it('stops watching at time_expire + 10 minutes', async () => {
      const created = await order('1.50');
      await request(h.http)
        .post(`/payments/rewards/${created.trade_no}/cancel`)
        .set(reader.auth)
        .expect(200);
      await h.dataSource.query(
        `UPDATE rewards SET next_check_at = now() - interval '1 second',
                time_expire = now() - interval '10 minutes 1 second' WHERE trade_no = $1`,
        [created.trade_no],
      );
      await sweep();
      expect(await row(created.trade_no)).toMatchObject({ status: 2, next_check_at: null });
    });
  });

  describe('refund outcomes are confirmed before they are reversed', () => {
    async function paidOrder(amount: string): Promise<string> {
      const created = await order(amount);
      await fetch(created.pay_url);
      await h.sandboxApi('POST', `/sandbox/trades/${created.trade_no}/pay`);
      await until(async () => (await row(created.trade_no)).status === 1, 'settlement');
      return created.trade_no;
    }

    /** The refund's first attempt and its refund query both answer 20000. */
    async function refundWithUnknownOutcome(tradeNo: string, applied: boolean) {
      await h.sandboxApi('POST', '/sandbox/faults', {
        open_api: {
          mode: '20000',
          count: 2,
          apply: applied,
          methods: ['alipay.trade.refund', 'alipay.trade.fastpay.refund.query'],
        },
      });
      const pending = await request(h.http)
        .post(`/admin/rewards/${tradeNo}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(pending.body).toMatchObject({ status: 1, refund: { status: 'pending' } });
    }

    /** The retry's refund call is refused outright (40004), then the sweep retries. */
    async function retryRefusedOutright() {
      await h.sandboxApi('POST', '/sandbox/faults', {
        open_api: { mode: '40004', count: 1, methods: ['alipay.trade.refund'] },
      });
      await h.dataSource.query(
        "UPDATE refunds SET next_check_at = now() - interval '1 second' WHERE status = 'pending'",
      );
      expect((await sweep()).refunds).toBe(1);
    }

    it('a refusal after a lost answer is not reversed when the refund query finds the refund', async () => {
      const tradeNo = await paidOrder('9.00');
      const authorBefore = await money(author.id);
      await refundWithUnknownOutcome(tradeNo, true);
      expect(authorBefore - (await money(author.id))).toBe(900); // reserved
      await retryRefusedOutright();

      const done = await request(h.http)
        .get(`/payments/rewards/${tradeNo}`)
        .set(staff.auth)
        .expect(200);
      expect(done.body).toMatchObject({
        status: 4,
        refund: { status: 'succeeded', out_request_no: `R${tradeNo}`, external: false },
      });
      // The reader got the money back once at Alipay, and the author paid it once.
      expect(authorBefore - (await money(author.id))).toBe(900);
      const trade = await h.sandboxApi<{ trade_status: string; refunds: unknown[] }>(
        'GET',
        `/sandbox/trades/${tradeNo}`,
      );
      expect(trade).toMatchObject({ trade_status: 'TRADE_CLOSED' });
      expect(trade.refunds).toHaveLength(1);
    });

    it('a refusal after a lost answer is reversed once the refund query finds no refund', async () => {
      const tradeNo = await paidOrder('8.00');
      const authorBefore = await money(author.id);
      await refundWithUnknownOutcome(tradeNo, false);
      await retryRefusedOutright();

      const done = await request(h.http)
        .get(`/payments/rewards/${tradeNo}`)
        .set(staff.auth)
        .expect(200);
      expect(done.body).toMatchObject({ status: 1, refund: { status: 'failed' } });
      expect(done.body.refund.failure_reason).toContain('ACQ.TRADE_STATUS_ERROR');
      expect(await money(author.id)).toBe(authorBefore);
      const trade = await h.sandboxApi<{ refunds: unknown[] }>('GET', `/sandbox/trades/${tradeNo}`);
      expect(trade.refunds).toHaveLength(0);
    });
  });

  describe('refunds made outside the system', () => {
    let alerts: ReturnType<typeof jest.spyOn>;
    beforeEach(() => {
      alerts = jest.spyOn(PinoLogger.prototype, 'error');
    });
    afterEach(() => alerts.mockRestore());

    /** The alert kinds logged at error level for the order (each kind once). */
    const alertsFor = (tradeNo: string) => [
      ...new Set(
        (alerts.mock.calls as unknown[][])
          .map(([fields]) => fields as Record<string, unknown> | undefined)
          .filter((fields) => typeof fields === 'object' && fields?.trade_no === tradeNo)
          .map((fields) => fields?.alert),
      ),
    ];

    async function paidOrderOf(articleOf: number, amount: string): Promise<string> {
      const { body } = await request(h.http)
        .post('/payments/alipay/')
        .set(reader.auth)
        .send({ article_id: articleOf, pay_type: 0, money: amount })
        .expect(201);
      await fetch(body.pay_url as string);
      await h.sandboxApi('POST', `/sandbox/trades/${body.trade_no as string}/pay`);
      await until(async () => (await row(body.trade_no as string)).status === 1, 'settlement');
      return body.trade_no as string;
    }

    /** Someone refunds in Alipay's merchant console: Alipay refunds and sends its notice. */
    async function refundInConsole(tradeNo: string, fen: number, outRequestNo: string) {
      const answer = await h.app.get(AlipayClient).refund(tradeNo, fen, outRequestNo);
      expect(answer).toMatchObject({ kind: 'ok', data: { fundChange: 'Y' } });
    }

    const notices = (tradeNo: string) =>
      h.dataSource.query<{ outcome: string; payload: Record<string, string> }[]>(
        `SELECT outcome, payload FROM alipay_notifications
          WHERE out_trade_no = $1 AND payload ? 'refund_fee' ORDER BY id`,
        [tradeNo],
      );
    const refundRows = (tradeNo: string) =>
      h.dataSource.query<{ status: string; external: boolean; amount: string }[]>(
        `SELECT f.status, f.external, f.amount, f.out_request_no FROM refunds f
           JOIN rewards r ON r.id = f.reward_id WHERE r.trade_no = $1`,
        [tradeNo],
      );
    const rewardCount = async (id: number) =>
      (
        await h.dataSource.query<{ reward_count: number }[]>(
          'SELECT reward_count FROM articles WHERE id = $1',
          [id],
        )
      )[0].reward_count;

    it('books a console refund: an external refund row, the author debited, status 4, an alert', async () => {
      const tradeNo = await paidOrderOf(articleId, '6.00');
      const [authorBefore, countBefore] = [await money(author.id), await rewardCount(articleId)];
      await refundInConsole(tradeNo, 600, 'console-0001');
      await until(async () => (await row(tradeNo)).status === 4, 'the refund notice to book it');

      expect(await refundRows(tradeNo)).toEqual([
        { status: 'succeeded', external: true, amount: '600', out_request_no: 'console-0001' },
      ]);
      expect(authorBefore - (await money(author.id))).toBe(600);
      expect(await rewardCount(articleId)).toBe(countBefore - 1);
      expect((await notices(tradeNo)).map((notice) => notice.outcome)).toEqual([
        'external_refund_booked',
      ]);
      expect(alertsFor(tradeNo)).toEqual(['external_refund_booked']);
      const shown = await request(h.http)
        .get(`/payments/rewards/${tradeNo}`)
        .set(staff.auth)
        .expect(200);
      expect(shown.body).toMatchObject({
        status: 4,
        status_text: '已退款',
        refund: { status: 'succeeded', external: true },
      });
      await h.ledgerOk(staff);
    });

    it('books nothing when the author cannot cover it: the notice is stored unbooked, with an alert', async () => {
      const poorAuthor = await signUp(h, { nickname: '花光了的作者' });
      const poorArticle = await publishArticle(h, poorAuthor, '稿费已经花掉了');
      const tradeNo = await paidOrderOf(poorArticle, '5.00');
      // The author spends most of it on a balance tip of their own.
      await request(h.http)
        .post('/payments/alipay/')
        .set(poorAuthor.auth)
        .send({ article_id: articleId, pay_type: 1, money: '4.00' })
        .expect(201);
      expect(await money(poorAuthor.id)).toBe(100);

      await refundInConsole(tradeNo, 500, 'console-0002');
      await until(async () => (await notices(tradeNo)).length === 1, 'the refund notice');
      const [notice] = await notices(tradeNo);
      expect(notice.outcome).toBe('external_refund_unbooked');
      expect(await row(tradeNo)).toMatchObject({ status: 1 });
      expect(await refundRows(tradeNo)).toEqual([]);
      expect(await money(poorAuthor.id)).toBe(100);
      expect(alertsFor(tradeNo)).toEqual(['external_refund_unbooked']);
      const unbooked = {
        kind: 'external_refund_unbooked',
        subject: `order:${tradeNo}`,
        expected: 'status 4',
        actual: 'status 1',
      };
      const verified = await request(h.http)
        .get('/admin/ledger/verify')
        .set(staff.auth)
        .expect(200);
      expect(verified.body).toMatchObject({ ok: false, mismatch_total: 1 });
      expect(verified.body.mismatches).toEqual([unbooked]);

      // Once the author's balance covers it, the same notice delivered again books it.
      await h.grant(poorAuthor.id, 400);
      const again = await request(h.http)
        .post('/payments/alipay/result/')
        .type('form')
        .send(notice.payload);
      expect(again.text).toBe('success');
      expect(await row(tradeNo)).toMatchObject({ status: 4 });
      expect(await refundRows(tradeNo)).toEqual([
        { status: 'succeeded', external: true, amount: '500', out_request_no: 'console-0002' },
      ]);
      expect(await money(poorAuthor.id)).toBe(0);
      await h.ledgerOk(staff);
    });

    it('books a console refund on the row of an earlier failed refund of ours', async () => {
      const tradeNo = await paidOrderOf(articleId, '3.00');
      const authorBefore = await money(author.id);
      await h.sandboxApi('POST', '/sandbox/faults', {
        open_api: { mode: '40004', count: 1, methods: ['alipay.trade.refund'] },
      });
      const refused = await request(h.http)
        .post(`/admin/rewards/${tradeNo}/refund`)
        .set(staff.auth)
        .expect(200);
      expect(refused.body.refund).toMatchObject({ status: 'failed' });
      expect(await money(author.id)).toBe(authorBefore);

      await refundInConsole(tradeNo, 300, 'console-0003');
      await until(async () => (await row(tradeNo)).status === 4, 'the refund notice to book it');
      expect(await refundRows(tradeNo)).toEqual([
        { status: 'succeeded', external: true, amount: '300', out_request_no: `R${tradeNo}` },
      ]);
      expect(authorBefore - (await money(author.id))).toBe(300);
      expect((await notices(tradeNo)).map((notice) => notice.outcome)).toEqual([
        'external_refund_booked',
      ]);
      await h.ledgerOk(staff);
    });

    it('books no partial console refund as a whole one: it is listed unbooked', async () => {
      const tradeNo = await paidOrderOf(articleId, '5.00');
      const authorBefore = await money(author.id);
      await refundInConsole(tradeNo, 200, 'console-0004');
      await until(async () => (await notices(tradeNo)).length === 1, 'the refund notice');
      expect((await notices(tradeNo))[0].outcome).toBe('external_refund_unbooked');
      expect(await row(tradeNo)).toMatchObject({ status: 1 });
      expect(await refundRows(tradeNo)).toEqual([]);
      expect(await money(author.id)).toBe(authorBefore);
      const verified = await request(h.http)
        .get('/admin/ledger/verify')
        .set(staff.auth)
        .expect(200);
      expect(verified.body.mismatches).toContainEqual(
        expect.objectContaining({ kind: 'external_refund_unbooked', subject: `order:${tradeNo}` }),
      );

      // The rest refunded too: Alipay's notice now says 5.00 in all, a whole refund, booked.
      await refundInConsole(tradeNo, 300, 'console-0005');
      await until(async () => (await row(tradeNo)).status === 4, 'the second refund notice');
      expect(authorBefore - (await money(author.id))).toBe(500);
      await h.ledgerOk(staff);
    });

    it('leaves our own refunds alone: their notices book nothing more', async () => {
      const tradeNo = await paidOrderOf(articleId, '4.00');
      const authorBefore = await money(author.id);
      await request(h.http).post(`/admin/rewards/${tradeNo}/refund`).set(staff.auth).expect(200);
      await until(async () => (await notices(tradeNo)).length === 1, 'the refund notice');
      expect((await notices(tradeNo))[0].outcome).toBe('ignored_status');
      expect(await refundRows(tradeNo)).toEqual([
        { status: 'succeeded', external: false, amount: '400', out_request_no: `R${tradeNo}` },
      ]);
      expect(authorBefore - (await money(author.id))).toBe(400);
      expect(alertsFor(tradeNo)).toEqual([]);
    });
  });
});
