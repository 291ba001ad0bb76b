import { formatFen } from '@renran/money';
import request from 'supertest';
import {
  castForTipping,
  createPaymentsHarness,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import { signUp, type TestUser } from '../support/test-app.js';

interface Mismatch {
  kind: string;
  subject: string;
  expected: string;
  actual: string;
}

interface Verification {
  ok: boolean;
  orders_checked: number;
  mismatch_total: number;
  mismatches: Mismatch[];
}

interface Order {
  id: number;
  tradeNo: string;
}

/**
 * GET /admin/ledger/verify proves the orders, not only the sums: real payments and refunds
 * through the sandbox leave it ok; then each rule is broken in turn with raw SQL — mostly
 * in ways that keep every balance equal to its entries, which the sums alone cannot see.
 */
describe('ledger verify proves the orders', () => {
  let h: PaymentsHarness;
  let author: TestUser;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;
  const orders: Record<string, Order> = {};

  async function order(money: string, payType: 0 | 1 = 0): Promise<Order> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: payType, money })
      .expect(201);
    const [{ id }] = await h.dataSource.query<{ id: number }[]>(
      'SELECT id FROM rewards WHERE trade_no = $1',
      [body.trade_no],
    );
    return { id, tradeNo: body.trade_no as string };
  }

  async function until(check: () => Promise<boolean>, what: string) {
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const statusOf = async (o: Order) =>
    (
      await h.dataSource.query<{ status: number }[]>('SELECT status FROM rewards WHERE id = $1', [
        o.id,
      ])
    )[0].status;

  /** Pays in the sandbox's cashier; the sandbox's notification settles it. */
  async function payAtSandbox(money: string): Promise<Order> {
    const { body } = await request(h.http)
      .post('/payments/alipay/')
      .set(reader.auth)
      .send({ article_id: articleId, pay_type: 0, money })
      .expect(201);
    await fetch(body.pay_url as string);
    await h.sandboxApi('POST', `/sandbox/trades/${body.trade_no as string}/pay`);
    const [{ id }] = await h.dataSource.query<{ id: number }[]>(
      'SELECT id FROM rewards WHERE trade_no = $1',
      [body.trade_no],
    );
    const paid = { id, tradeNo: body.trade_no as string };
    await until(async () => (await statusOf(paid)) === 1, `settlement of ${paid.tradeNo}`);
    return paid;
  }

  /** Settled on a signed notice only: the sandbox never saw it, so it refuses a refund. */
  async function paidByNotice(money: string): Promise<Order> {
    const created = await order(money);
    await request(h.http)
      .post('/payments/alipay/result/')
      .type('form')
      .send(h.signedNotice({ out_trade_no: created.tradeNo, total_amount: money }))
      .expect(200);
    return created;
  }

  const refund = (o: Order) =>
    request(h.http).post(`/admin/rewards/${o.tradeNo}/refund`).set(staff.auth).expect(200);

  async function verify(): Promise<Verification> {
    const { body } = await request(h.http).get('/admin/ledger/verify').set(staff.auth).expect(200);
    return body as Verification;
  }

  beforeAll(async () => {
    h = await createPaymentsHarness();
    ({ author, reader, staff, articleId } = await castForTipping(h, {
      author: '记账的作者',
      reader: '对账的读者',
      article: '复式记账',
    }));
    await h.grant(reader.id, 10_000);

    orders.paid = await payAtSandbox('5.00');
    orders.paid2 = await payAtSandbox('6.00');
    orders.balancePaid = await order('3.00', 1);
    orders.refunded = await payAtSandbox('7.00');
    expect((await refund(orders.refunded)).body).toMatchObject({ status: 4 });
    orders.balanceRefunded = await order('2.00', 1);
    expect((await refund(orders.balanceRefunded)).body).toMatchObject({ status: 4 });
    orders.refundFailed = await paidByNotice('4.00');
    expect((await refund(orders.refundFailed)).body).toMatchObject({
      status: 1,
      refund: { status: 'failed' },
    });
    orders.refundPending = await payAtSandbox('9.00');
    await h.sandboxApi('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 2 } });
    expect((await refund(orders.refundPending)).body).toMatchObject({
      status: 1,
      refund: { status: 'pending' },
    });
    await h.sandboxApi('DELETE', '/sandbox/faults');
    orders.pending = await order('1.00');
    orders.pending2 = await order('1.50');
  });
  afterAll(() => h.close());

  it('is ok on an untouched ledger after real payments and refunds', async () => {
    const verified = await verify();
    expect(verified.mismatches).toEqual([]);
    expect(verified).toMatchObject({ ok: true, mismatch_total: 0 });
    expect(verified.orders_checked).toBe(Object.keys(orders).length);
  });

  it('stores typed references and the balance after each user leg', async () => {
    const entries = await h.dataSource.query<
      {
        movement: string;
        account: string;
        user_id: number | null;
        amount: string;
        reward_id: number | null;
        refund_id: number | null;
        withdrawal_id: number | null;
        balance_after: string | null;
      }[]
    >(
      `SELECT movement, account, user_id, amount, reward_id, refund_id, withdrawal_id, balance_after
         FROM ledger_entries ORDER BY id`,
    );
    const settlement = entries.filter((e) => e.movement === `reward:${orders.paid.id}:settle`);
    expect(settlement).toHaveLength(2);
    for (const leg of settlement) {
      expect(leg).toMatchObject({ reward_id: orders.paid.id, refund_id: null });
    }
    const [{ id: refundId }] = await h.dataSource.query<{ id: number }[]>(
      'SELECT id FROM refunds WHERE reward_id = $1',
      [orders.refunded.id],
    );
    const refundLegs = entries.filter((e) => e.refund_id === refundId);
    expect(refundLegs.map((e) => e.reward_id)).toEqual([orders.refunded.id, orders.refunded.id]);
    expect(entries.every((e) => e.withdrawal_id === null)).toBe(true);
    // External legs carry no balance; each user leg carries that user's running balance,
    // and the last one is the balance now.
    expect(entries.filter((e) => e.account !== 'user').every((e) => e.balance_after === null)).toBe(
      true,
    );
    for (const user of [author, reader]) {
      let running = 0;
      const legs = entries.filter((e) => e.user_id === user.id);
      for (const leg of legs) {
        running += Number(leg.amount);
        expect(Number(leg.balance_after)).toBe(running);
      }
      const { body } = await request(h.http).get('/users/me').set(user.auth).expect(200);
      expect(formatFen(running)).toBe(body.money);
    }
  });

  it('answers 409 while another verification holds the ledger, and 200 once it is done', async () => {
    // The race of two requests is too tight to make deterministic: this connection holds the
    // verification's advisory lock (VERIFY_LOCK_KEY) as a running verification would.
    const runner = h.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock(20261130)');
      const { body } = await request(h.http)
        .get('/admin/ledger/verify')
        .set(staff.auth)
        .expect(409);
      expect(body).toMatchObject({ statusCode: 409, message: '账本核对正在进行，请稍后再试' });
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(await verify()).toMatchObject({ ok: true, mismatch_total: 0 });
  });

  describe('lists each broken rule', () => {
    // Each case breaks a different order, so earlier breaks do not hide later ones.
    const expectListed = async (mismatch: Mismatch) => {
      const verified = await verify();
      expect(verified.ok).toBe(false);
      expect(verified.mismatches).toContainEqual(mismatch);
    };

    it('order_unsettled: a paid order without a settlement movement', async () => {
      await h.dataSource.query('UPDATE rewards SET status = 1 WHERE id = $1', [orders.pending.id]);
      await expectListed({
        kind: 'order_unsettled',
        subject: `order:${orders.pending.tradeNo}`,
        expected: '1',
        actual: '0',
      });
    });

    it('order_double_settled: a second settlement, balances kept equal to the entries', async () => {
      const o = orders.paid;
      await h.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, reward_id)
           VALUES ('again:alipay', 'again', 'reward', 'alipay', NULL, -500, $1),
                  ('again:author', 'again', 'reward', 'user', $2, 500, $1)`,
          [o.id, author.id],
        );
        await manager.query('UPDATE users SET money = money + 500 WHERE id = $1', [author.id]);
      });
      const verified = await verify();
      expect(verified.mismatches.filter((m) => m.kind === 'balance')).toEqual([]);
      expect(verified.mismatches).toContainEqual({
        kind: 'order_double_settled',
        subject: `order:${o.tradeNo}`,
        expected: '1',
        actual: '2',
      });
    });

    it('order_settlement_amount: the order says another amount than its settlement', async () => {
      await h.dataSource.query('UPDATE rewards SET money = 601 WHERE id = $1', [orders.paid2.id]);
      await expectListed({
        kind: 'order_settlement_amount',
        subject: `order:${orders.paid2.tradeNo}`,
        expected: '6.01',
        actual: '6.00',
      });
    });

    it('order_settled_unpaid: a settled order marked expired', async () => {
      await h.dataSource.query('UPDATE rewards SET status = 3 WHERE id = $1', [
        orders.balancePaid.id,
      ]);
      await expectListed({
        kind: 'order_settled_unpaid',
        subject: `order:${orders.balancePaid.tradeNo}`,
        expected: '0',
        actual: '1',
      });
    });

    it('refund_unreversed: an order marked refunded whose tip was never reversed', async () => {
      const o = await payAtSandbox('8.00');
      await h.dataSource.query('UPDATE rewards SET status = 4 WHERE id = $1', [o.id]);
      await expectListed({
        kind: 'refund_unreversed',
        subject: `order:${o.tradeNo}`,
        expected: '1',
        actual: '0',
      });
    });

    it('refund_double_reversed: a refunded order reversed twice', async () => {
      const o = orders.refunded;
      const [{ id: refundId }] = await h.dataSource.query<{ id: number }[]>(
        'SELECT id FROM refunds WHERE reward_id = $1',
        [o.id],
      );
      await h.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, reward_id, refund_id)
           VALUES ('twice:author', 'twice', 'refund', 'user', $2, -700, $1, $3),
                  ('twice:alipay', 'twice', 'refund', 'alipay', NULL, 700, $1, $3)`,
          [o.id, author.id, refundId],
        );
        await manager.query('UPDATE users SET money = money - 700 WHERE id = $1', [author.id]);
      });
      await expectListed({
        kind: 'refund_double_reversed',
        subject: `order:${o.tradeNo}`,
        expected: '1',
        actual: '2',
      });
    });

    it('refund_amount: a refunded order whose reversal moved another amount', async () => {
      const o = orders.balanceRefunded;
      await h.dataSource.query('UPDATE rewards SET money = 250 WHERE id = $1', [o.id]);
      const verified = await verify();
      expect(verified.mismatches).toContainEqual({
        kind: 'refund_amount',
        subject: `order:${o.tradeNo}`,
        expected: '2.50',
        actual: '2.00',
      });
    });

    it('refund_reserve_mismatch: a failed refund whose reserve was never given back', async () => {
      const o = orders.refundFailed;
      await h.dataSource.transaction(async (manager) => {
        await manager.query(
          `DELETE FROM ledger_entries WHERE reward_id = $1 AND kind = 'refund_reversal'`,
          [o.id],
        );
        await manager.query('UPDATE users SET money = money - 400 WHERE id = $1', [author.id]);
      });
      await expectListed({
        kind: 'refund_reserve_mismatch',
        subject: `order:${o.tradeNo}`,
        expected: '0',
        actual: '1',
      });
    });

    // A withdrawal reference to nothing cannot be written: ledger_entries.withdrawal_id has a foreign key.
    it('orphan_movement: no reference, legs that disagree', async () => {
      await h.dataSource.query(
        `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, reward_id, withdrawal_id)
         VALUES ('loose:alipay', 'loose', 'reward', 'alipay', NULL, -100, NULL, NULL),
                ('loose:grants', 'loose', 'reward', 'grants', NULL, 100, NULL, NULL),
                ('split:alipay', 'split', 'reward', 'alipay', NULL, -100, $1, NULL),
                ('split:grants', 'split', 'reward', 'grants', NULL, 100, $2, NULL)`,
        [orders.pending2.id, orders.paid.id],
      );
      const verified = await verify();
      const orphans = verified.mismatches.filter((m) => m.kind === 'orphan_movement');
      expect(orphans).toEqual([
        expect.objectContaining({ subject: 'loose', actual: 'no reference' }),
        expect.objectContaining({
          subject: 'split',
          actual: 'legs with different references or kinds',
        }),
      ]);
    });

    it('external_refund_unbooked: Alipay refunded an order our books could not debit', async () => {
      const o = await paidByNotice('3.30');
      const notice = (id: string, tradeNo: string) =>
        h.dataSource.query(
          `INSERT INTO alipay_notifications (notify_id, out_trade_no, trade_status, payload, outcome, delivered_at)
           VALUES ($1, $2, 'TRADE_SUCCESS', '{}', 'external_refund_unbooked', ARRAY[now()])`,
          [id, tradeNo],
        );
      await notice('external-1', o.tradeNo);
      // Booked later (status 4): no longer listed.
      await notice('external-2', orders.refunded.tradeNo);
      const verified = await verify();
      expect(verified.mismatches).toContainEqual({
        kind: 'external_refund_unbooked',
        subject: `order:${o.tradeNo}`,
        expected: 'status 4',
        actual: 'status 1',
      });
      expect(verified.mismatches).not.toContainEqual(
        expect.objectContaining({
          kind: 'external_refund_unbooked',
          subject: `order:${orders.refunded.tradeNo}`,
        }),
      );
    });

    it('keeps the balance, movement and total checks', async () => {
      const someone = await signUp(h);
      await h.dataSource.query('UPDATE users SET money = 123 WHERE id = $1', [someone.id]);
      await h.dataSource.query(
        `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount)
         VALUES ('lopsided:grants', 'lopsided', 'grant', 'grants', NULL, -5)`,
      );
      const verified = await verify();
      expect(verified.mismatches).toEqual(
        expect.arrayContaining([
          { kind: 'balance', subject: `user:${someone.id}`, expected: '0.00', actual: '1.23' },
          { kind: 'movement', subject: 'lopsided', expected: '0.00', actual: '-0.05' },
          expect.objectContaining({ kind: 'total', subject: 'all user balances' }),
        ]),
      );
    });

    it('withdrawals: one reserve of the amount, a reversal only when failed or rejected', async () => {
      // Status 0 review, 1 processing, 2 succeeded, 3 failed, 4 rejected (DESIGN.md).
      const withdrawal = async (status: number, amount: number, moves: number[]) => {
        const [{ id }] = await h.dataSource.query<{ id: number }[]>(
          `INSERT INTO withdrawals (user_id, amount, status, out_biz_no, payee_name, payee_account)
           VALUES ($1, $2, $3, 'verify-' || gen_random_uuid(), '张荏苒', 'author@example.com')
           RETURNING id`,
          [author.id, amount, status],
        );
        // Each move is one movement of the author's balance: negative reserves, positive returns.
        for (const [i, userAmount] of moves.entries()) {
          await h.dataSource.transaction(async (manager) => {
            await manager.query(
              `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, withdrawal_id)
               VALUES ($1 || ':user', $1, 'withdrawal', 'user', $2, $3, $4),
                      ($1 || ':alipay', $1, 'withdrawal', 'alipay', NULL, -$3::bigint, $4)`,
              [`withdrawal:${id}:${i}`, author.id, userAmount, id],
            );
            await manager.query('UPDATE users SET money = money + $2 WHERE id = $1', [
              author.id,
              userAmount,
            ]);
          });
        }
        return `withdrawal:${id}`;
      };
      const succeeded = await withdrawal(2, 100, [-100]);
      const rejected = await withdrawal(4, 100, [-100, 100]);
      const failedKept = await withdrawal(3, 100, [-100]);
      const neverReserved = await withdrawal(1, 100, []);
      const reservedTwice = await withdrawal(0, 100, [-100, -100]);
      const wrongAmount = await withdrawal(2, 100, [-90]);
      const givenBack = await withdrawal(1, 100, [-100, 100]);

      const verified = await verify();
      const listed = verified.mismatches.filter((m) => m.kind.startsWith('withdrawal_'));
      expect(listed).toEqual(
        expect.arrayContaining([
          { kind: 'withdrawal_unreversed', subject: failedKept, expected: '1', actual: '0' },
          { kind: 'withdrawal_unreserved', subject: neverReserved, expected: '1', actual: '0' },
          {
            kind: 'withdrawal_double_reserved',
            subject: reservedTwice,
            expected: '1',
            actual: '2',
          },
          {
            kind: 'withdrawal_reserve_amount',
            subject: wrongAmount,
            expected: '1.00',
            actual: '0.90',
          },
          { kind: 'withdrawal_wrongly_reversed', subject: givenBack, expected: '0', actual: '1' },
        ]),
      );
      expect(listed).toHaveLength(5);
      expect(listed.map((m) => m.subject)).not.toContain(succeeded);
      expect(listed.map((m) => m.subject)).not.toContain(rejected);
      expect(
        verified.mismatches.filter(
          (m) => m.kind === 'orphan_movement' && m.subject.startsWith('withdrawal:'),
        ),
      ).toEqual([]);
    });

    it('lists at most 100 mismatches and counts them all', async () => {
      await h.dataSource.query(
        `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount)
         SELECT 'bulk:' || n || ':' || leg, 'bulk:' || n, 'reward', leg, NULL,
                CASE leg WHEN 'alipay' THEN -1 ELSE 1 END
           FROM generate_series(1, 150) n, unnest(ARRAY['alipay', 'grants']) leg`,
      );
      const verified = await verify();
      expect(verified.mismatches).toHaveLength(100);
      expect(verified.mismatch_total).toBeGreaterThanOrEqual(150 + 10);
    });
  });
});
