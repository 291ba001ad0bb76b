import request from 'supertest';
import { ReconciliationService } from '../../apps/api/src/payments/reconciliation.service.js';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

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
});
