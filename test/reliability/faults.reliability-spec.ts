import { jest } from '@jest/globals';
import { PUBLIC_CACHE_TTL_MS } from '../../apps/api/src/articles/public-article-cache.js';
import { migrations } from '../../apps/api/src/database/migrations/index.js';
import { call, inParallel } from './support/http.js';
import { ReliabilitySystem } from './support/processes.js';
import { printReport, World, type ReportRow } from './support/world.js';

const report: ReportRow[] = [];
// Each case starts processes of its own; bounded, but longer than Jest's default.
jest.setTimeout(180_000);
const system = new ReliabilitySystem();

beforeAll(() => system.start(), 60_000);
afterAll(async () => {
  printReport('Reliability: faults injected into real processes', report);
  await system.stopAll();
});

/** Runs a case in a world of its own and checks the books afterwards, whatever happened. */
async function runCase(
  name: string,
  injected: string,
  options: Parameters<typeof World.create>[2],
  body: (world: World) => Promise<string>,
): Promise<void> {
  const world = await World.create(system, name, options);
  try {
    const result = await body(world);
    const ledger = await world.ledgerVerified();
    expect(ledger.mismatches).toEqual([]);
    expect(ledger.ok).toBe(true);
    report.push({ case: name, injected, requests: world.requests, result: `${result}; ledger ok` });
  } catch (error) {
    report.push({
      case: name,
      injected,
      requests: world.requests,
      result: `FAILED: ${(error as Error).message}`,
    });
    throw error;
  } finally {
    await world.close();
  }
}

it('two API instances, 50 duplicate notifications split across both at once: settled once', async () => {
  await runCase(
    'duplicate notices, 2 instances',
    '50 copies of one signed notice, concurrent, A/B',
    { instances: 2 },
    async (world) => {
      const [order] = await world.createOrders(1, '12.34');
      const notice = world.notice({ out_trade_no: order.trade_no, total_amount: '12.34' });
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call(world.apis[i % 2].url, 'POST', '/payments/alipay/result/', { form: notice }),
        ),
      );
      world.requests += 50;
      expect(answers.map((answer) => answer.text)).toEqual(Array(50).fill('success'));
      const [row] = await world.sql<{
        status: number;
        entries: number;
        author: string;
        count: number;
        deliveries: number;
      }>(
        `SELECT r.status,
              (SELECT count(*)::int FROM ledger_entries WHERE movement = 'reward:' || r.id || ':settle') AS entries,
              (SELECT money FROM users WHERE id = r.author_id) AS author,
              (SELECT reward_count FROM articles WHERE id = r.article_id) AS count,
              (SELECT deliveries FROM alipay_notifications WHERE notify_id = $2) AS deliveries
         FROM rewards r WHERE r.trade_no = $1`,
        [order.trade_no, notice.notify_id],
      );
      expect(row).toEqual({ status: 1, entries: 2, author: '1234', count: 1, deliveries: 50 });
      return 'settled once (2 ledger entries, author +12.34, 50 deliveries on one notice row)';
    },
  );
});

it('kill -9 of the API in a burst of 200 paid orders; restart; the sandbox resends: all settled once', async () => {
  await runCase(
    'kill -9 mid-burst',
    'SIGKILL of the API while 200 notices arrive; restart on the same port',
    {},
    async (world) => {
      const orders = await world.createOrders(200, '1.00');
      await world.open(orders);
      world.requests += 400;
      const paying = world.pay(orders, 16).catch((error: unknown) => error);
      // Let part of the burst land, then pull the plug.
      await world.until(
        async () => ((await world.statuses(orders.map((o) => o.trade_no)))[1] ?? 0) >= 20,
        'the first settlements',
        30_000,
      );
      await world.api.crash();
      const settledAtCrash = (await world.statuses(orders.map((o) => o.trade_no)))[1] ?? 0;
      expect(await paying).toBeUndefined();
      const restarted = await world.system.startApi(
        world.system.databaseUrl(world.databaseName),
        {},
        world.api.port,
      );
      world.apis[0] = restarted;

      const waited = await world.until(
        async () => ((await world.statuses(orders.map((o) => o.trade_no)))[1] ?? 0) === 200,
        'all 200 orders to settle from resent notifications',
        90_000,
      );
      const [books] = await world.sql<{ entries: number; author: string; pending: number }>(
        `SELECT (SELECT count(*)::int FROM ledger_entries WHERE kind = 'reward') AS entries,
              (SELECT money FROM users WHERE id = $1) AS author,
              (SELECT count(*)::int FROM rewards WHERE status = 0) AS pending`,
        [world.author.id],
      );
      expect(books).toEqual({ entries: 400, author: '20000', pending: 0 });
      const { attempts } = await world.sandbox<{ attempts: unknown[] }>(
        'GET',
        '/sandbox/notifications',
      );
      world.requests += attempts.length;
      return `${settledAtCrash} settled before the crash, all 200 within ${Math.round(waited / 1000)} s after restart; 400 ledger entries, none pending`;
    },
  );
});

it('PostgreSQL stopped under load: 503s (no hang), /health says so, notify answers fail; recovers by itself', async () => {
  await runCase(
    'database outage',
    'PostgreSQL stopped ~4 s under a request loop',
    {},
    async (world) => {
      const [order] = await world.createOrders(1, '3.00');
      const notice = world.notice({ out_trade_no: order.trade_no, total_amount: '3.00' });
      const base = world.api.url;
      await world.system.stopPostgres();
      const stoppedAt = Date.now();
      const restart = () => world.system.startPostgres();
      const seen = new Map<string, number>();
      let slowest = 0;
      let articleUnavailable = 0;
      try {
        const deadline = Date.now() + 4000;
        while (Date.now() < deadline) {
          const replies = await Promise.all([
            call(base, 'GET', `/article/detail/${world.articleId}/`),
            call(base, 'GET', '/health'),
            call(base, 'POST', '/users/login', {
              json: { username: world.reader.username, password: 'x' },
            }),
            call(base, 'GET', '/users/me', { token: world.reader.token }),
            call(base, 'POST', '/payments/alipay/result/', { form: notice }),
          ]);
          world.requests += replies.length;
          for (const reply of replies) {
            slowest = Math.max(slowest, reply.ms);
            const key =
              reply.text === 'fail' || reply.text === 'success'
                ? `notify:${reply.text}`
                : String(reply.status);
            seen.set(key, (seen.get(key) ?? 0) + 1);
            expect(reply.text).not.toMatch(/\n\s+at /); // never a stack trace
          }
          const [detail, health, login, me, notify] = replies;
          // The public article cache may answer the page for its last second, not longer.
          if (detail.status === 200) {
            expect(Date.now() - stoppedAt).toBeLessThan(PUBLIC_CACHE_TTL_MS + 1000);
          } else {
            expect(detail.status).toBe(503);
            expect(detail.body.message).toContain('数据库');
            articleUnavailable++;
          }
          expect(health.status).toBe(503);
          expect(health.body.status).toBe('error');
          expect(login.status).toBe(503);
          expect(me.status).toBe(503);
          expect(notify.text).toBe('fail');
        }
        expect(slowest).toBeLessThan(5000);
        expect(articleUnavailable).toBeGreaterThan(0);
      } finally {
        await restart();
      }

      const recovered = await world.until(
        async () => (await call(base, 'GET', '/health')).status === 200,
        '/health to recover',
        30_000,
      );
      const again = await call(base, 'POST', '/payments/alipay/result/', { form: notice });
      expect(again.text).toBe('success');
      expect((await call(base, 'GET', `/article/detail/${world.articleId}/`)).status).toBe(200);
      expect(await world.statuses([order.trade_no])).toEqual({ 1: 1 });
      world.requests += 3;
      return `${[...seen].map(([k, n]) => `${k}x${n}`).join(' ')}; slowest ${slowest} ms; healthy ${Math.round(recovered / 100) / 10} s after restart; the resent notice settled`;
    },
  );
});

it('the sandbox drops every notification: reconciliation settles all paid orders', async () => {
  await runCase(
    'all notices dropped',
    'drop every notification permanently',
    { env: { RECONCILE_INTERVAL_SECONDS: '1' } },
    async (world) => {
      await world.sandbox('POST', '/sandbox/faults', {
        drop_notifications: 100000,
        drop_permanently: true,
      });
      try {
        const orders = await world.createOrders(20, '2.50');
        await world.openAndPay(orders);
        world.requests += 40;
        // A minute passes: the orders become due for their first query.
        await world.sql('UPDATE rewards SET next_check_at = now() WHERE status = 0');
        const waited = await world.until(
          async () => ((await world.statuses(orders.map((o) => o.trade_no)))[1] ?? 0) === 20,
          'reconciliation to settle 20 orders',
          30_000,
        );
        const [{ notices }] = await world.sql<{ notices: number }>(
          'SELECT count(*)::int AS notices FROM alipay_notifications',
        );
        expect(notices).toBe(0);
        return `20/20 settled by alipay.trade.query within ${Math.round(waited / 100) / 10} s, 0 notices received`;
      } finally {
        await world.sandbox('DELETE', '/sandbox/faults');
      }
    },
  );
});

it('cancel, then pay in the cashier with every notice dropped: the query ladder settles it exactly once', async () => {
  await runCase(
    'cancel, pay, notices dropped',
    'cancel before the cashier opens; pay there after; drop every notification',
    { env: { RECONCILE_INTERVAL_SECONDS: '1' } },
    async (world) => {
      await world.sandbox('POST', '/sandbox/faults', {
        drop_notifications: -1,
        drop_permanently: true,
      });
      try {
        const [order] = await world.createOrders(1, '6.66');
        const cancelled = await call(
          world.api.url,
          'POST',
          `/payments/rewards/${order.trade_no}/cancel`,
          { token: world.reader.token },
        );
        expect(cancelled.status).toBe(200);
        expect(cancelled.body.status).toBe(2);
        // The reader kept the signed page-pay URL: the cashier still opens, and 确认付款 pays.
        await fetch(order.pay_url).then((response) => response.text());
        const paid = await fetch(`${world.sandboxUrl}/cashier/${order.trade_no}/pay`, {
          method: 'POST',
          redirect: 'manual',
        });
        expect(paid.status).toBe(302);
        world.requests += 3;
        expect(await world.statuses([order.trade_no])).toEqual({ 2: 1 });

        // A minute passes: the cancelled order's next query is due.
        await world.sql('UPDATE rewards SET next_check_at = now() WHERE trade_no = $1', [
          order.trade_no,
        ]);
        const waited = await world.until(
          async () => (await world.statuses([order.trade_no]))[1] === 1,
          'the query ladder to settle the cancelled order',
          30_000,
        );
        // Further rounds (one a second) find nothing more to do.
        await new Promise((done) => setTimeout(done, 3000));
        const [books] = await world.sql<{
          entries: number;
          author: string;
          next_check_at: Date | null;
          notices: number;
        }>(
          `SELECT (SELECT count(*)::int FROM ledger_entries WHERE movement = 'reward:' || r.id || ':settle') AS entries,
                (SELECT money FROM users WHERE id = r.author_id) AS author, r.next_check_at,
                (SELECT count(*)::int FROM alipay_notifications) AS notices
           FROM rewards r WHERE r.trade_no = $1`,
          [order.trade_no],
        );
        expect(books).toEqual({ entries: 2, author: '666', next_check_at: null, notices: 0 });
        return `cancelled (2), paid in the cashier, 0 notices received; settled late by alipay.trade.query within ${Math.round(waited / 100) / 10} s; 2 ledger entries, author +6.66, no further checks`;
      } finally {
        await world.sandbox('DELETE', '/sandbox/faults');
      }
    },
  );
});

it('Open API 20000 and timeouts change nothing until a query succeeds; a refund stays pending, then completes', async () => {
  await runCase(
    'Open API faults',
    'query: timeout then 20000; refund: 20000',
    {},
    async (world) => {
      await world.sandbox('POST', '/sandbox/faults', {
        drop_notifications: 100000,
        drop_permanently: true,
      });
      const [order] = await world.createOrders(1, '9.99');
      await world.openAndPay([order]);
      const sync = () =>
        call(world.api.url, 'POST', `/admin/rewards/${order.trade_no}/sync`, {
          token: world.staff.token,
          timeoutMs: 30_000,
        });

      await world.sandbox('POST', '/sandbox/faults', { open_api: { mode: 'timeout', count: 1 } });
      const timedOut = await sync();
      expect(timedOut.body).toMatchObject({ checked: 'unknown', order: { status: 0 } });
      await world.sandbox('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 1 } });
      const busy = await sync();
      expect(busy.body).toMatchObject({ checked: 'unknown', order: { status: 0 } });
      await world.sandbox('POST', '/sandbox/faults', { open_api: { mode: 'normal', count: 0 } });
      const settled = await sync();
      expect(settled.body).toMatchObject({ checked: 'settled', order: { status: 1 } });

      await world.sandbox('POST', '/sandbox/faults', { open_api: { mode: '20000', count: 2 } });
      const refund = await call(world.api.url, 'POST', `/admin/rewards/${order.trade_no}/refund`, {
        token: world.staff.token,
      });
      expect(refund.body).toMatchObject({ status: 1, refund: { status: 'pending' } });
      const [{ money: reserved }] = await world.sql<{ money: string }>(
        'SELECT money FROM users WHERE id = $1',
        [world.author.id],
      );
      expect(reserved).toBe('0');
      await world.sandbox('DELETE', '/sandbox/faults');
      const completed = await sync();
      expect(completed.body).toMatchObject({
        order: { status: 4, refund: { status: 'succeeded' } },
      });
      const trade = await world.sandbox<{ trade_status: string }>(
        'GET',
        `/sandbox/trades/${order.trade_no}`,
      );
      expect(trade.trade_status).toBe('TRADE_CLOSED');
      world.requests += 8;
      return `timeout (${timedOut.ms} ms) and 20000 left the order pending; next query settled it; refund pending under 20000, then succeeded once`;
    },
  );
});

it('expiry against a late payment: paid just before close settles; closed first refuses the payment', async () => {
  await runCase('expiry vs late payment', 'orders made due past time_expire', {}, async (world) => {
    await world.sandbox('POST', '/sandbox/faults', {
      drop_notifications: 100000,
      drop_permanently: true,
    });
    try {
      const [paidLate, closedFirst] = await world.createOrders(2, '5.00');
      await world.openAndPay([paidLate]);
      await world.open([closedFirst]);
      await world.sql(
        "UPDATE rewards SET time_expire = now() - interval '1 second', next_check_at = now() WHERE status = 0",
      );
      for (const order of [paidLate, closedFirst]) {
        await call(world.api.url, 'POST', `/admin/rewards/${order.trade_no}/sync`, {
          token: world.staff.token,
        });
      }
      expect(await world.statuses([paidLate.trade_no])).toEqual({ 1: 1 });
      expect(await world.statuses([closedFirst.trade_no])).toEqual({ 3: 1 });
      const refused = await call(
        world.sandboxUrl,
        'POST',
        `/sandbox/trades/${closedFirst.trade_no}/pay`,
      );
      expect(refused.status).toBe(409);
      world.requests += 6;
      return 'paid-before-close settled (status 1); closed-first expired (status 3) and the sandbox refused its payment (409)';
    } finally {
      await world.sandbox('DELETE', '/sandbox/faults');
    }
  });
});

/** The author's balance from one paid Alipay tip, and a payout account to withdraw to. */
async function authorReadyToWithdraw(world: World, money: string): Promise<void> {
  const [order] = await world.createOrders(1, money);
  await world.openAndPay([order]);
  await world.until(
    async () => ((await world.statuses([order.trade_no]))[1] ?? 0) === 1,
    'the tip to settle',
    30_000,
  );
  const account = await call(world.api.url, 'PUT', '/users/me/payout-account', {
    token: world.author.token,
    json: {
      real_name: '张荏苒',
      alipay_account: 'author@example.com',
      password: 'reliability-password',
    },
  });
  expect(account.status).toBe(200);
  world.requests += 2;
}

it('40 concurrent withdrawals across two instances against a balance that covers 4: exactly 4 reserved', async () => {
  await runCase(
    '40 concurrent withdrawals',
    '40 POST /users/me/withdrawals of 10.00 at once, A/B, balance 40.00',
    { instances: 2, env: { RATE_LIMIT_WITHDRAWALS: '1000' } },
    async (world) => {
      await authorReadyToWithdraw(world, '40.00');
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(world.apis[i % 2].url, 'POST', '/users/me/withdrawals', {
            token: world.author.token,
            json: { amount: '10.00' },
          }),
        ),
      );
      world.requests += 40;
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([...Array(4).fill(201), ...Array(36).fill(409)]);
      expect(
        answers.filter((a) => a.status === 409).every((a) => a.body.message === '余额不足'),
      ).toBe(true);
      const [books] = await world.sql<{ money: string; withdrawals: number; reserves: number }>(
        `SELECT (SELECT money FROM users WHERE id = $1) AS money,
                (SELECT count(*)::int FROM withdrawals) AS withdrawals,
                (SELECT count(*)::int FROM ledger_entries
                  WHERE kind = 'withdrawal' AND account = 'user') AS reserves`,
        [world.author.id],
      );
      expect(books).toEqual({ money: '0', withdrawals: 4, reserves: 4 });
      // Every balance the reserves left, in order: never below zero.
      const after = await world.sql<{ balance_after: string }>(
        `SELECT balance_after FROM ledger_entries
          WHERE user_id = $1 AND kind = 'withdrawal' ORDER BY id`,
        [world.author.id],
      );
      expect(after.map((row) => row.balance_after)).toEqual(['3000', '2000', '1000', '0']);
      return '4 × 201, 36 × 409 余额不足; balance 0.00, 4 withdrawal rows, 4 reserves';
    },
  );
});

/** A withdrawal of `amount` by the author, as the API stored it (id and out_biz_no). */
async function requestWithdrawal(
  world: World,
  amount: string,
): Promise<{ id: number; out_biz_no: string }> {
  const created = await call(world.api.url, 'POST', '/users/me/withdrawals', {
    token: world.author.token,
    json: { amount },
  });
  expect(created.status).toBe(201);
  const [row] = await world.sql<{ id: number; out_biz_no: string }>(
    'SELECT id, out_biz_no FROM withdrawals WHERE id = $1',
    [created.body.id],
  );
  world.requests += 1;
  return row;
}

async function transfersAtSandbox(world: World, outBizNo: string): Promise<{ status: string }[]> {
  const { transfers } = await world.sandbox<{
    transfers: { out_biz_no: string; status: string }[];
  }>('GET', '/sandbox/transfers');
  return transfers.filter((transfer) => transfer.out_biz_no === outBizNo);
}

async function withdrawalStatus(world: World, id: number): Promise<number> {
  const [row] = await world.sql<{ status: number }>(
    'SELECT status FROM withdrawals WHERE id = $1',
    [id],
  );
  return row.status;
}

it('kill -9 while the approved transfer is on its way; restart: the sweep queries, sends it once, paid once', async () => {
  await runCase(
    'kill -9 between reserve and transfer',
    'SIGKILL of the API while alipay.fund.trans.uni.transfer hangs unanswered (not made); restart',
    {},
    async (world) => {
      await authorReadyToWithdraw(world, '20.00');
      const withdrawal = await requestWithdrawal(world, '15.00');
      await world.sandbox('POST', '/sandbox/faults', {
        open_api: {
          mode: 'timeout',
          count: 1,
          apply: false,
          hold_ms: 60_000,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      const approving = call(world.api.url, 'POST', `/admin/withdrawals/${withdrawal.id}/approve`, {
        token: world.staff.token,
        timeoutMs: 60_000,
      }).catch((error: unknown) => error);
      await world.until(
        async () => (await withdrawalStatus(world, withdrawal.id)) === 1,
        'the withdrawal to be processing',
        30_000,
      );
      await world.api.crash();
      // The approval never got an answer: the API died with the transfer on its way. fetch's
      // TypeError comes from Node's realm, not the test's, so `toBeInstanceOf(Error)` fails on it.
      expect(await approving).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
      await world.sandbox('DELETE', '/sandbox/faults');
      expect(await transfersAtSandbox(world, withdrawal.out_biz_no)).toEqual([]);

      const restarted = await world.system.startApi(
        world.system.databaseUrl(world.databaseName),
        { RECONCILE_INTERVAL_SECONDS: '1' },
        world.api.port,
      );
      world.apis[0] = restarted;
      const waited = await world.until(
        async () => (await withdrawalStatus(world, withdrawal.id)) === 2,
        'the sweep to settle the withdrawal',
        120_000,
      );
      expect(await transfersAtSandbox(world, withdrawal.out_biz_no)).toEqual([
        expect.objectContaining({ status: 'SUCCESS' }),
      ]);
      const again = await call(
        world.api.url,
        'POST',
        `/admin/withdrawals/${withdrawal.id}/approve`,
        {
          token: world.staff.token,
        },
      );
      expect(again.status).toBe(409);
      const [author] = await world.sql<{ money: string }>('SELECT money FROM users WHERE id = $1', [
        world.author.id,
      ]);
      expect(author.money).toBe('500');
      world.requests += 2;
      return `processing at the crash, no transfer made; after restart the sweep's query found none and sent it: paid ${Math.round(waited / 1000)} s later, 1 transfer, approve again 409`;
    },
  );
});

it('a transfer whose answer is lost, two instances sweeping: the query settles it, one transfer', async () => {
  await runCase(
    'transfer timeout, then query',
    'alipay.fund.trans.uni.transfer made but its answer held past the client timeout; sweeps on A/B',
    { instances: 2, env: { RECONCILE_INTERVAL_SECONDS: '1' } },
    async (world) => {
      await authorReadyToWithdraw(world, '9.00');
      const withdrawal = await requestWithdrawal(world, '9.00');
      await world.sandbox('POST', '/sandbox/faults', {
        open_api: {
          mode: 'timeout',
          count: 1,
          apply: true,
          hold_ms: 8_000,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      const approved = await call(
        world.api.url,
        'POST',
        `/admin/withdrawals/${withdrawal.id}/approve`,
        {
          token: world.staff.token,
        },
      );
      await world.sandbox('DELETE', '/sandbox/faults');
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe(1);
      const waited = await world.until(
        async () => (await withdrawalStatus(world, withdrawal.id)) === 2,
        'the query ladder to settle the withdrawal',
        120_000,
      );
      expect(await transfersAtSandbox(world, withdrawal.out_biz_no)).toHaveLength(1);
      const [books] = await world.sql<{ money: string; reversals: number }>(
        `SELECT (SELECT money FROM users WHERE id = $1) AS money,
                (SELECT count(*)::int FROM ledger_entries WHERE kind = 'withdrawal_reversal') AS reversals`,
        [world.author.id],
      );
      expect(books).toEqual({ money: '0', reversals: 0 });
      world.requests += 1;
      return `approve answered processing; the sweep's query found SUCCESS ${Math.round(waited / 1000)} s later; 1 transfer, nothing reversed`;
    },
  );
});

it('reject after a failed attempt: nothing is given back twice, a processing one cannot be rejected', async () => {
  await runCase(
    'reject after a failed attempt',
    'a payee Alipay refuses (PAYEE_USER_INFO_ERROR), then reject; SYSTEM_ERROR, then reject',
    {},
    async (world) => {
      await authorReadyToWithdraw(world, '10.00');
      await call(world.api.url, 'PUT', '/users/me/payout-account', {
        token: world.author.token,
        json: {
          real_name: '张荏苒',
          alipay_account: '13800138000',
          password: 'reliability-password',
        },
      });
      const refused = await requestWithdrawal(world, '6.00');
      const approve = (id: number) =>
        call(world.api.url, 'POST', `/admin/withdrawals/${id}/approve`, {
          token: world.staff.token,
        });
      const reject = (id: number) =>
        call(world.api.url, 'POST', `/admin/withdrawals/${id}/reject`, {
          token: world.staff.token,
          json: { reason: '复核' },
        });
      const failed = await approve(refused.id);
      expect(failed.body).toMatchObject({ status: 3 });
      expect(failed.body.failure_reason).toContain('PAYEE_USER_INFO_ERROR');
      expect((await reject(refused.id)).status).toBe(409);

      const unclear = await requestWithdrawal(world, '4.00');
      await world.sandbox('POST', '/sandbox/faults', {
        open_api: {
          mode: 'SYSTEM_ERROR',
          count: 1,
          apply: false,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      expect((await approve(unclear.id)).body.status).toBe(1);
      await world.sandbox('DELETE', '/sandbox/faults');
      expect((await reject(unclear.id)).status).toBe(409);
      const [books] = await world.sql<{ money: string; reversals: number }>(
        `SELECT (SELECT money FROM users WHERE id = $1) AS money,
                (SELECT count(*)::int FROM ledger_entries
                  WHERE kind = 'withdrawal_reversal' AND account = 'user') AS reversals`,
        [world.author.id],
      );
      // 10.00 - 6.00 (given back once) - 4.00 (still processing, still reserved)
      expect(books).toEqual({ money: '600', reversals: 1 });
      world.requests += 5;
      return 'failed one: reversed once, reject 409; processing one: reject 409, reserve kept';
    },
  );
});

it('two instances starting at once on an empty database: migrations and demo data once', async () => {
  const name = `rel_boot_${process.pid}`;
  const url = await system.createDatabase(name);
  // As `npm start` hands its embedded cluster to the API: demo data only goes there.
  const env = { APP_ENV: 'development', DATABASE_URL: '', EMBEDDED_DATABASE_URL: url };
  const instances = await Promise.all([system.startApi(url, env), system.startApi(url, env)]);
  try {
    const counts = await system.admin(
      async (client) =>
        (
          await client.query(
            `SELECT (SELECT count(*)::int FROM migrations) AS migrations, (SELECT count(*)::int FROM users) AS users,
                    (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM ledger_entries) AS entries`,
          )
        ).rows[0],
      name,
    );
    expect(counts).toEqual({ migrations: migrations.length, users: 3, articles: 5, entries: 2 });
    const healthy = await inParallel(instances, 2, (api) => call(api.url, 'GET', '/health'));
    expect(healthy.map((reply) => reply.status)).toEqual([200, 200]);
    report.push({
      case: 'simultaneous start-up',
      injected: '2 instances booting on one empty database',
      requests: 2,
      result: `${migrations.length} migrations, 3 users, 5 articles, 2 ledger entries: each once; both healthy`,
    });
  } finally {
    await Promise.all(instances.map((api) => api.stop()));
  }
});
