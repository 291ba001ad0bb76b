// Notify settlement: signed TRADE_SUCCESS notices POSTed once each, against the same settlement
// transaction sent straight through pg.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, DURATION, log, WARMUP } from '../options.mjs';
import { load, metered, runWorkers } from '../measure.mjs';
import { tmp } from '../process-control.mjs';

export async function notify(ctx) {
  const { apiUrl, db, readers, sameAuthor, authorId, rss, alipayPrivateKeyPem, config } = ctx;
  const { DEV_ALIPAY_APP_ID, DEV_ALIPAY_SELLER_ID } = config;
  let batch = 0;
  const createPending = async (count) => {
    const prefix = `bench${++batch}x`;
    const { rows } = await db.query(
      `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, message, pay_type,
                            status, time_expire, next_check_at)
       SELECT $1 || lpad(g::text, 10, '0'),
              ($2::int[])[1 + g % cardinality($2::int[])],
              ($3::int[])[1 + g % cardinality($3::int[])],
              $4, 100, '写得真好', 0, 0, now() + interval '1 day', NULL
         FROM generate_series(1, $5) g
       RETURNING id, trade_no, article_id`,
      [prefix, readers.map((r) => r.id), sameAuthor, authorId, count],
    );
    return rows;
  };
  const signNotices = async (orders) => {
    const cores = os.availableParallelism();
    const notices = orders.map((order, i) => ({
      notify_time: '2026-11-26 10:00:00',
      notify_type: 'trade_status_sync',
      notify_id: `bench${randomBytes(8).toString('hex')}${i}`,
      app_id: DEV_ALIPAY_APP_ID,
      auth_app_id: DEV_ALIPAY_APP_ID,
      charset: 'utf-8',
      version: '1.0',
      seller_id: DEV_ALIPAY_SELLER_ID,
      out_trade_no: order.trade_no,
      trade_no: `2026112622001400${randomBytes(6).toString('hex')}`,
      buyer_id: '2088102177846880',
      total_amount: '1.00',
      receipt_amount: '1.00',
      subject: '赞赏：bench',
      trade_status: 'TRADE_SUCCESS',
      gmt_create: '2026-11-26 09:59:30',
      gmt_payment: '2026-11-26 10:00:00',
    }));
    const per = Math.ceil(notices.length / cores);
    const parts = await runWorkers(cores, (index) => ({
      job: 'notices',
      privateKeyPem: alipayPrivateKeyPem,
      notices: notices.slice(index * per, (index + 1) * per),
    }));
    return parts.flatMap((part) => part.bodies);
  };
  const settledCount = async (orders) => {
    const { rows } = await db.query(
      'SELECT count(*)::int AS n FROM rewards WHERE id = ANY($1::int[]) AND status = 1',
      [orders.map((order) => order.id)],
    );
    return rows[0].n;
  };
  const notifyRun = async (count, duration) => {
    const orders = await createPending(count);
    const bodies = await signNotices(orders);
    const file = join(tmp, `notices-${batch}.json`);
    writeFileSync(file, JSON.stringify(bodies));
    const result = await load({
      url: `${apiUrl}/payments/alipay/result/`,
      method: 'POST',
      connections: CONNECTIONS.notify,
      duration,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      bodiesFile: file,
      expectBody: 'success',
    });
    const settled = await settledCount(orders);
    return { ...result, settled, rate: settled / result.duration, supplied: bodies.length };
  };
  // The equivalent transaction straight through pg: the same statements, same concurrency.
  const rawRun = async (count, duration) => {
    const orders = await createPending(count);
    const deadline = Date.now() + duration * 1000;
    let next = 0;
    let done = 0;
    const startedAt = Date.now();
    const worker = async () => {
      const client = await db.connect();
      try {
        while (Date.now() < deadline && next < orders.length) {
          const order = orders[next++];
          const platformTradeNo = `2026112622001400${randomBytes(6).toString('hex')}`;
          await client.query('BEGIN');
          const { rows } = await client.query(
            'SELECT id, money, status, author_id, article_id FROM rewards WHERE trade_no = $1 FOR UPDATE',
            [order.trade_no],
          );
          const reward = rows[0];
          await client.query(
            `UPDATE rewards SET status = 1, platform_trade_no = $2, paid_at = now(),
                    next_check_at = NULL, updated_time = now() WHERE id = $1`,
            [reward.id, platformTradeNo],
          );
          const credited = await client.query(
            'UPDATE users SET money = money + $1, updated_time = now() WHERE id = $2 AND money + $1 >= 0 RETURNING money',
            [reward.money, reward.author_id],
          );
          await client.query('UPDATE articles SET reward_count = reward_count + 1 WHERE id = $1', [
            reward.article_id,
          ]);
          const movement = `reward:${reward.id}:settle`;
          await client.query(
            `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, reward_id, balance_after)
             VALUES ($1 || ':alipay', $1, 'reward', 'alipay', NULL, $3, $5, NULL),
                    ($1 || ':author', $1, 'reward', 'user', $2, $4, $5, $6)`,
            [
              movement,
              reward.author_id,
              -reward.money,
              reward.money,
              reward.id,
              credited.rows[0].money,
            ],
          );
          await client.query(
            `INSERT INTO alipay_notifications (notify_id, out_trade_no, trade_status, payload, outcome, delivered_at)
             VALUES ($1, $2, 'TRADE_SUCCESS', $3, 'settled', ARRAY[now()])
             ON CONFLICT (notify_id) DO UPDATE
               SET deliveries = alipay_notifications.deliveries + 1,
                   delivered_at = array_append(alipay_notifications.delivered_at, now()),
                   updated_time = now()`,
            [
              `raw${randomBytes(8).toString('hex')}`,
              order.trade_no,
              JSON.stringify({ out_trade_no: order.trade_no, trade_no: platformTradeNo }),
            ],
          );
          await client.query('COMMIT');
          done++;
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS.notify }, worker));
    const seconds = (Date.now() - startedAt) / 1000;
    return { settled: done, duration: seconds, rate: done / seconds, supplied: orders.length };
  };

  log(`notify settlement: warm-up (API, then pg); ${rss()}`);
  const apiWarm = await notifyRun(3000, WARMUP);
  const rawWarm = await rawRun(6000, WARMUP);
  const wanted = (rate) => Math.min(200_000, Math.ceil(rate * DURATION * 1.5) + 500);
  log(
    `notify settlement: ${DURATION} s at ${CONNECTIONS.notify} connections (signing ${wanted(apiWarm.rate)} notices)`,
  );
  const notify = await metered(() => notifyRun(wanted(apiWarm.rate), DURATION));
  log(`raw pg transaction: ${DURATION} s at ${CONNECTIONS.notify} clients`);
  const raw = await metered(() => rawRun(wanted(rawWarm.rate), DURATION));
  return { notify, raw };
}
