import request from 'supertest';
import { ReconciliationService } from '../../apps/api/src/payments/reconciliation.service.js';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

// Keys, a sandbox, an API and argon2 logins: slow on two cores shared by many test runs.
const SETUP_TIMEOUT_MS = 120_000;

interface Order {
  trade_no: string;
  pay_url: string;
}

type Row = [nickname: string, time: string, money: string | undefined, message: unknown];

/**
 * The supporters list and the staff stats are read from summary tables kept in the payment
 * transactions (migration 1765000000000). Whatever the API does to orders — pay by notice or
 * balance, refund (also a payer's latest tip), cancel, expire, many at once — both answers
 * stay equal to what the full recompute over `rewards` (the queries they replaced) gives.
 */
describe('supporters and admin stats from their summary tables', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let staff: TestUser;
  let articleId: number;
  const readers: TestUser[] = [];

  beforeAll(async () => {
    h = await createPaymentsHarness({ RATE_LIMIT_ORDERS: '1000' });
    let first: TestUser;
    ({
      author,
      reader: first,
      staff,
      articleId,
    } = await castForTipping(h, {
      author: '汇总的作者',
      reader: '读者甲',
      article: '汇总表',
    }));
    readers.push(first);
    for (const nickname of ['读者乙', '读者丙', '读者丁']) {
      readers.push(await signUp(h, { nickname }));
    }
    for (const reader of readers) await h.grant(reader.id, 100_000);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  }, SETUP_TIMEOUT_MS);

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function balanceTip(payer: TestUser, money: string, anonymous: boolean, message: string) {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .send({ article_id: articleId, pay_type: 1, money, anonymous, message })
      .expect(201);
    expect(body.status).toBe(1);
    return body.trade_no as string;
  }

  async function alipayOrder(payer: TestUser, money: string, anonymous = false) {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(payer.auth)
      .send({ article_id: articleId, pay_type: 0, money, anonymous, message: `支付宝${money}` })
      .expect(201);
    return body as Order;
  }

  const status = async (tradeNo: string) =>
    (
      await h.dataSource.query<{ status: number }[]>(
        'SELECT status FROM rewards WHERE trade_no = $1',
        [tradeNo],
      )
    )[0].status;

  /** Opens the cashier and pays in the sandbox; its notice settles the order. */
  async function payByNotice({ trade_no: tradeNo, pay_url: payUrl }: Order) {
    expect((await fetch(payUrl)).status).toBe(200);
    await h.sandboxApi('POST', `/sandbox/trades/${tradeNo}/pay`);
    const deadline = Date.now() + 10_000;
    while ((await status(tradeNo)) !== 1) {
      if (Date.now() > deadline) throw new Error(`order ${tradeNo} was not settled`);
      await pause(50);
    }
  }

  const refund = (tradeNo: string) =>
    request(h.http).post(`/admin/rewards/${tradeNo}/refund`).set(staff.auth).expect(200);

  /** The supporters as the author sees them (every amount and message), all on one page. */
  async function supporters(): Promise<{ count: number; rows: Row[] }> {
    const { body } = await request(h.http)
      .get(`/article/${articleId}/rewards?page_size=50`)
      .set(author.auth)
      .expect(200);
    const answer = body as {
      count: number;
      next_cursor: string | null;
      supporters: Array<{ nickname: string; time: string; money?: string; message?: unknown }>;
    };
    expect(answer.next_cursor).toBeNull();
    return {
      count: answer.count,
      rows: answer.supporters.map((s) => [s.nickname, s.time, s.money, s.message]),
    };
  }

  /** The query the summary replaced: every paid tip of the article, grouped on the spot. */
  async function recomputedSupporters(): Promise<{ count: number; rows: Row[] }> {
    const found = await h.dataSource.query<
      { nickname: string; anonymous: boolean; time: Date; total: string; message: string }[]
    >(
      `SELECT u.nickname, false AS anonymous, max(r.paid_at) AS time, sum(r.money) AS total,
              (array_agg(r.message ORDER BY r.paid_at DESC))[1] AS message, r.user_id
         FROM rewards r JOIN users u ON u.id = r.user_id
        WHERE r.article_id = $1 AND r.status = 1 AND NOT r.anonymous
        GROUP BY r.user_id, u.nickname
       UNION ALL
       SELECT NULL, true, r.paid_at, r.money, r.message, r.user_id
         FROM rewards r WHERE r.article_id = $1 AND r.status = 1 AND r.anonymous
       ORDER BY time DESC NULLS LAST, anonymous, user_id`,
      [articleId],
    );
    return {
      count: found.length,
      rows: found.map((row) => [
        row.anonymous ? '匿名读者' : row.nickname,
        row.time.toISOString(),
        (Number(row.total) / 100).toFixed(2),
        row.message,
      ]),
    };
  }

  /**
   * Equal, in the same order. Two anonymous tips of one payer paid in the same millisecond
   * have no order (neither before nor now): rows are compared in order by name and time, and
   * in full as a set.
   */
  async function expectSupportersRight() {
    const [answer, oracle] = await Promise.all([supporters(), recomputedSupporters()]);
    expect(answer.count).toBe(oracle.count);
    expect(answer.rows.map((row) => row.slice(0, 2))).toEqual(
      oracle.rows.map((row) => row.slice(0, 2)),
    );
    const sorted = (rows: Row[]) => rows.map((row) => JSON.stringify(row)).sort();
    expect(sorted(answer.rows)).toEqual(sorted(oracle.rows));
    return answer;
  }

  /** The stats query the summary replaced: every order, grouped on the spot. */
  async function recomputedStats() {
    const rows = await h.dataSource.query<
      { day: string; status: number; orders: number; amount: string }[]
    >(
      `SELECT to_char(created_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, status,
              count(*)::int AS orders, sum(money) AS amount
         FROM rewards GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
    );
    const byStatus = new Map<number, { orders: number; fen: number }>();
    for (const row of rows) {
      const total = byStatus.get(row.status) ?? { orders: 0, fen: 0 };
      total.orders += row.orders;
      total.fen += Number(row.amount);
      byStatus.set(row.status, total);
    }
    return {
      by_day: rows.map((row) => ({
        day: row.day,
        status: row.status,
        orders: row.orders,
        amount: (Number(row.amount) / 100).toFixed(2),
      })),
      by_status: [...byStatus.entries()].map(([s, total]) => ({
        status: s,
        orders: total.orders,
        amount: (total.fen / 100).toFixed(2),
      })),
    };
  }

  async function expectStatsRight() {
    const { body } = await request(h.http).get('/admin/stats').set(staff.auth).expect(200);
    expect(body).toEqual(await recomputedStats());
    return body as { by_status: Array<{ status: number; orders: number }> };
  }

  it(
    'paid by balance and by notice, cancelled, expired and left pending: both answers match',
    async () => {
      const [a, b, c, d] = readers;
      await balanceTip(a, '3.00', false, '甲的第一笔');
      await pause(20);
      await balanceTip(a, '2.00', false, '甲的第二笔');
      await pause(20);
      await balanceTip(b, '1.00', true, '乙的匿名');
      await payByNotice(await alipayOrder(c, '4.00'));
      await payByNotice(await alipayOrder(c, '0.50', true));
      await alipayOrder(d, '6.00'); // left pending
      const { trade_no: cancelled } = await alipayOrder(d, '7.00');
      await request(h.http).post(`/payments/rewards/${cancelled}/cancel`).set(d.auth).expect(200);
      const { trade_no: expired } = await alipayOrder(d, '8.00');
      await h.dataSource.query(
        `UPDATE rewards SET time_expire = now() - interval '1 second',
                next_check_at = now() - interval '1 second' WHERE trade_no = $1`,
        [expired],
      );
      await h.app.get(ReconciliationService).sweep();
      expect(await status(expired)).toBe(3);

      const answer = await expectSupportersRight();
      // 甲 (two named tips, one row), 乙's anonymous tip, 丙 by name and 丙 anonymously.
      expect(answer.count).toBe(4);
      expect(answer.rows).toContainEqual(['读者甲', expect.any(String), '5.00', '甲的第二笔']);
      const stats = await expectStatsRight();
      expect(stats.by_status.map((row) => [row.status, row.orders])).toEqual(
        expect.arrayContaining([
          [0, 1],
          [1, 5],
          [2, 1],
          [3, 1],
        ]),
      );
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    "refunding a payer's latest tip leaves their earlier tip's time and message; refunding a payer's only tip removes them",
    async () => {
      const a = readers[0];
      const first = await balanceTip(a, '1.25', false, '甲再来一笔');
      await pause(20);
      const latest = await balanceTip(a, '2.75', false, '甲最新的一笔');
      const before = await supporters();
      expect(before.rows[0]).toEqual(['读者甲', expect.any(String), '9.00', '甲最新的一笔']);

      await refund(latest);
      const after = await expectSupportersRight();
      const firstPaid = (
        await h.dataSource.query<{ paid_at: Date }[]>(
          'SELECT paid_at FROM rewards WHERE trade_no = $1',
          [first],
        )
      )[0].paid_at;
      expect(after.rows[0]).toEqual(['读者甲', firstPaid.toISOString(), '6.25', '甲再来一笔']);
      await expectStatsRight();

      // 乙's only tip was anonymous; 丙's named tip was paid by notice (refunded at "Alipay").
      const [anonymousTip] = await h.dataSource.query<{ trade_no: string }[]>(
        'SELECT trade_no FROM rewards WHERE user_id = $1 AND status = 1',
        [readers[1].id],
      );
      await refund(anonymousTip.trade_no);
      const [namedByNotice] = await h.dataSource.query<{ trade_no: string }[]>(
        'SELECT trade_no FROM rewards WHERE user_id = $1 AND status = 1 AND NOT anonymous',
        [readers[2].id],
      );
      await refund(namedByNotice.trade_no);
      const left = await expectSupportersRight();
      expect(left.count).toBe(2);
      expect(left.rows.map((row) => row[0])).not.toContain('读者丙');
      await expectStatsRight();
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'many orders at once, paid and unpaid, from several payers: both answers still match',
    async () => {
      const work: Array<Promise<unknown>> = [];
      for (let i = 0; i < 16; i++) {
        const payer = readers[i % readers.length];
        work.push(balanceTip(payer, `${1 + (i % 5)}.0${i % 10}`, i % 3 === 0, `并发${i}`));
        work.push(
          alipayOrder(payer, `0.${10 + i}`, i % 4 === 0).then((order) =>
            i % 2 === 0 ? payByNotice(order) : undefined,
          ),
        );
      }
      await Promise.all(work);
      await expectSupportersRight();
      const stats = await expectStatsRight();
      expect(stats.by_status.find((row) => row.status === 0)?.orders).toBe(1 + 8);

      // The cursor walks the same list, a page at a time.
      const all = (await supporters()).rows;
      const walked: Row[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `page_size=3${cursor ? `&cursor=${cursor}` : ''}`;
        const { body } = await request(h.http)
          .get(`/article/${articleId}/rewards?${query}`)
          .set(author.auth)
          .expect(200);
        walked.push(
          ...(
            body.supporters as Array<{
              nickname: string;
              time: string;
              money: string;
              message: string;
            }>
          ).map((s): Row => [s.nickname, s.time, s.money, s.message]),
        );
        cursor = body.next_cursor as string | null;
      } while (cursor && walked.length <= all.length);
      expect(walked).toEqual(all);
    },
    SETUP_TIMEOUT_MS,
  );
});
