// BENCH_SCALE=1: how the cost of the requests that read many rows grows with the data. Seeds,
// with SQL generate_series (not through the API), data that passes ledger verify — at full
// size 10^5 users, 10^5 articles, 10^6 paid tips (10^5 of them to the popular article /p/1),
// 10^6 settlement movements (2 ledger legs each) and 10^5 pending orders not yet due — first
// at the small size (every count ÷ 1000) and then up to the full size, and measures the same
// requests after each. Each full-size figure is a ratio to the small one.
import { SSR_ARTICLE, log } from '../options.mjs';

const FULL = { users: 100_000, articles: 100_000, tips: 1_000_000, pending: 100_000 };
/** Every tenth tip goes to the popular article: 10^5 of 10^6. */
const POPULAR_EVERY = 10;

/**
 * Adds the rows of indexes (from, to] of each kind. Tips and their ledger legs are written in
 * the same statement per block, the authors' balances and the articles' counts moved by the
 * same sums, so `GET /admin/ledger/verify` finds nothing.
 */
async function seed(client, from, to) {
  const started = Date.now();
  await client.query('BEGIN');
  // The rows are consistent by construction (and ledger verify checks them after): the
  // foreign-key triggers, one lookup per row, would make the seed several times slower.
  await client.query("SET LOCAL session_replication_role = 'replica'");
  await client.query(
    `INSERT INTO users (username, password_hash, nickname)
     SELECT 'scale_u' || g, 'not-a-login', '读者' || g
       FROM generate_series($1::int + 1, $2::int) g`,
    [from.users, to.users],
  );
  await client.query(
    `INSERT INTO articles (name, content, render, word_count, user_id)
     SELECT '规模文章 ' || g, '正文 ' || g, '<p>正文 ' || g || '</p>', 4, u.id
       FROM generate_series($1::int + 1, $2::int) g
       JOIN users u ON u.username = 'scale_u' || (1 + (g * 7) % $3::int)`,
    [from.articles, to.articles, to.users],
  );
  // Index -> id of what exists now, for the tips to point at.
  await client.query(`DROP TABLE IF EXISTS scale_users, scale_articles`);
  await client.query(
    `CREATE TEMP TABLE scale_users AS
       SELECT row_number() OVER (ORDER BY id)::int AS i, id FROM users WHERE username LIKE 'scale\\_u%'`,
  );
  await client.query(
    `CREATE TEMP TABLE scale_articles AS
       SELECT row_number() OVER (ORDER BY a.id)::int AS i, a.id, a.user_id
         FROM articles a JOIN users u ON u.id = a.user_id WHERE u.username LIKE 'scale\\_u%'`,
  );
  await client.query('CREATE UNIQUE INDEX ON scale_users (i)');
  await client.query('CREATE UNIQUE INDEX ON scale_articles (i)');
  await client.query('ANALYZE scale_users, scale_articles');
  const { rows: popular } = await client.query('SELECT id, user_id FROM articles WHERE id = $1', [
    SSR_ARTICLE,
  ]);
  // Paid tips, over the last 365 days, 1.00–9.99 yuan.
  await client.query(
    `CREATE TEMP TABLE scale_tips ON COMMIT DROP AS
     SELECT 'scale' || lpad(g::text, 12, '0') AS trade_no, p.id AS user_id,
            CASE WHEN g % ${POPULAR_EVERY} = 0 THEN $4::int ELSE a.id END AS article_id,
            CASE WHEN g % ${POPULAR_EVERY} = 0 THEN $5::int ELSE a.user_id END AS author_id,
            100 + (g * 37) % 900 AS money,
            now() - ((g % 365) * interval '1 day') - ((g % 86400) * interval '1 second') AS at,
            (g % 7 = 3) AS anonymous
       FROM generate_series($1::int + 1, $2::int) g
       JOIN scale_users p ON p.i = 1 + (g * 13) % $3::int
       JOIN scale_articles a ON a.i = 1 + (g * 31) % $6::int`,
    [from.tips, to.tips, to.users, popular[0].id, popular[0].user_id, to.articles],
  );
  await client.query(
    `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, message, anonymous,
                          pay_type, channel, status, platform_trade_no, paid_at, time_expire,
                          created_time, updated_time)
     SELECT trade_no, user_id, article_id, author_id, money, '写得好', anonymous, 0, 'page', 1,
            '2026' || trade_no, at, at + interval '15 minutes', at - interval '1 minute', at
       FROM scale_tips`,
  );
  await client.query(
    `CREATE TEMP TABLE scale_paid ON COMMIT DROP AS
     SELECT r.id, r.author_id, r.article_id, r.money, r.paid_at, r.user_id, r.anonymous,
            r.message, r.status, r.created_time
       FROM rewards r JOIN scale_tips t ON t.trade_no = r.trade_no`,
  );
  // The supporters summary, as settlement would have kept it (migration 1765000000000):
  // named payers' rows grow (or are added), each anonymous tip adds a row, and each article's
  // count grows by the rows added.
  await client.query(
    `WITH named AS (
       INSERT INTO article_supporters AS s
         (article_id, user_id, anonymous, reward_id, time, total, message, tips)
       SELECT article_id, user_id, false, NULL, max(paid_at), sum(money),
              (array_agg(message ORDER BY paid_at DESC, id DESC))[1], count(*)
         FROM scale_paid WHERE NOT anonymous GROUP BY article_id, user_id
       ON CONFLICT (article_id, user_id) WHERE NOT anonymous DO UPDATE
         SET total = s.total + EXCLUDED.total, tips = s.tips + EXCLUDED.tips,
             message = CASE WHEN s.time IS NULL OR EXCLUDED.time >= s.time
                            THEN EXCLUDED.message ELSE s.message END,
             time = GREATEST(s.time, EXCLUDED.time)
       RETURNING article_id, (xmax = 0) AS inserted
     ), anonymous AS (
       INSERT INTO article_supporters
         (article_id, user_id, anonymous, reward_id, time, total, message, tips)
       SELECT article_id, user_id, true, id, paid_at, money, message, 1
         FROM scale_paid WHERE anonymous
       RETURNING article_id
     )
     INSERT INTO article_supporter_counts AS c (article_id, supporters)
     SELECT article_id, count(*)
       FROM (SELECT article_id FROM named WHERE inserted
             UNION ALL SELECT article_id FROM anonymous) added
      GROUP BY article_id
     ON CONFLICT (article_id) DO UPDATE SET supporters = c.supporters + EXCLUDED.supporters`,
  );
  // The daily stats, as the trigger (disabled by the replica role) would have kept them.
  await client.query(
    `INSERT INTO reward_daily_stats AS s (day, status, slot, orders, amount)
     SELECT (created_time AT TIME ZONE 'Asia/Shanghai')::date, status, id % 16, count(*), sum(money)
       FROM scale_paid GROUP BY 1, 2, 3
     ON CONFLICT (day, status, slot) DO UPDATE
       SET orders = s.orders + EXCLUDED.orders, amount = s.amount + EXCLUDED.amount`,
  );
  // Each settlement's two legs; the author's leg carries the balance after it.
  await client.query(
    `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount, reward_id,
                                 balance_after, created_time)
     SELECT 'reward:' || p.id || ':settle:alipay', 'reward:' || p.id || ':settle', 'reward',
            'alipay', NULL, -p.money, p.id, NULL, p.paid_at
       FROM scale_paid p
     UNION ALL
     SELECT 'reward:' || p.id || ':settle:author', 'reward:' || p.id || ':settle', 'reward',
            'user', p.author_id, p.money, p.id,
            u.money + sum(p.money) OVER (PARTITION BY p.author_id ORDER BY p.id), p.paid_at
       FROM scale_paid p JOIN users u ON u.id = p.author_id`,
  );
  await client.query(
    `UPDATE users u SET money = u.money + t.total
       FROM (SELECT author_id, sum(money) AS total FROM scale_paid GROUP BY author_id) t
      WHERE u.id = t.author_id`,
  );
  await client.query(
    `UPDATE articles a SET reward_count = a.reward_count + t.n
       FROM (SELECT article_id, count(*) AS n FROM scale_paid GROUP BY article_id) t
      WHERE a.id = t.article_id`,
  );
  // Pending page-pay orders, next asked about tomorrow: a sweep round must not read them.
  await client.query(
    `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, anonymous, pay_type,
                          channel, status, time_expire, next_check_at)
     SELECT 'scalepending' || lpad(g::text, 10, '0'), p.id, a.id, a.user_id, 500, false, 0,
            'page', 0, now() + interval '1 day', now() + interval '1 day'
       FROM generate_series($1::int + 1, $2::int) g
       JOIN scale_users p ON p.i = 1 + (g * 17) % $3::int
       JOIN scale_articles a ON a.i = 1 + (g * 29) % $4::int`,
    [from.pending, to.pending, to.users, to.articles],
  );
  await client.query(
    `INSERT INTO reward_daily_stats AS s (day, status, slot, orders, amount)
     SELECT (created_time AT TIME ZONE 'Asia/Shanghai')::date, status, id % 16, count(*), sum(money)
       FROM rewards
      WHERE trade_no > 'scalepending' || lpad($1::text, 10, '0')
        AND trade_no <= 'scalepending' || lpad($2::text, 10, '0')
      GROUP BY 1, 2, 3
     ON CONFLICT (day, status, slot) DO UPDATE
       SET orders = s.orders + EXCLUDED.orders, amount = s.amount + EXCLUDED.amount`,
    [from.pending, to.pending],
  );
  await client.query('COMMIT');
  // What autovacuum does after a bulk load, done at once: the visibility map that index-only
  // scans (the bounded counts, ledger verify's covering index) rely on, and fresh statistics.
  await client.query('VACUUM (ANALYZE)');
  return Date.now() - started;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** p50 / p99 of `count` requests one after another (after one not counted). */
async function timed(run, count) {
  try {
    await run();
  } catch (error) {
    return { error: error.message };
  }
  const times = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), count };
}

export async function scale(ctx) {
  const { apiUrl, webUrl, db, json, config, demoAccounts } = ctx;
  const login = async ({ username, password }) =>
    (
      await json(`${apiUrl}/users/login`, {
        method: 'POST',
        body: JSON.stringify({ username, password }),
      })
    ).token;
  const author = await login(demoAccounts.author);
  const staff = await login(demoAccounts.staff);
  const get = (url, token) => async () => {
    const response = await fetch(
      url,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
  };
  // The claim statement of one reconciliation round (ReconciliationService.reconcileDueOrders),
  // rolled back: with 10^5 orders pending but none due it must claim nothing, at no cost.
  const sweepRound = async () => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE rewards SET next_check_at = now() + (60000 * interval '1 millisecond'),
                check_attempts = check_attempts + 1
          WHERE id IN (SELECT id FROM rewards
                        WHERE status = ANY($2) AND pay_type = 0 AND next_check_at <= now()
                        ORDER BY next_check_at LIMIT $1
                        FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [50, [0, 2, 3]],
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  };
  const a = SSR_ARTICLE;
  const requests = (size) => {
    // What a client paging deep with the cursor asks for: the page at that depth by its
    // cursor. The cursor is the next_cursor of the page before it, fetched once by number on
    // the first, uncounted run (following next_cursor from page 1 would take thousands of
    // requests at full size).
    const byCursor = (before, token) => {
      let url;
      return async () => {
        if (!url) {
          const response = await fetch(
            before,
            token ? { headers: { authorization: `Bearer ${token}` } } : {},
          );
          const { next_cursor: cursor } = await response.json();
          if (!cursor) throw new Error(`${before}: no next_cursor`);
          url = `${before.replace(/page=\d+&/, '')}&cursor=${cursor}`;
        }
        await get(url, token)();
      };
    };
    // p99 of the requests that should be flat from 100 samples (the 2nd slowest), not from a
    // handful where it is the one slowest; the deep pages by number cost up to a second each.
    const SAMPLES = 100;
    const before = size.deepPage - 1;
    const supportersDeep = Math.max(2, size.deepPage / 5);
    return [
      ['article_json', get(`${apiUrl}/article/detail/${a}/`), SAMPLES],
      ['article_page', get(`${webUrl}/p/${a}`), SAMPLES],
      ['supporters_first', get(`${apiUrl}/article/${a}/rewards`), SAMPLES],
      [
        'supporters_deep',
        get(`${apiUrl}/article/${a}/rewards?page=${supportersDeep}&page_size=10`),
        10,
      ],
      [
        'supporters_cursor_deep',
        byCursor(`${apiUrl}/article/${a}/rewards?page=${supportersDeep - 1}&page_size=10`),
        SAMPLES,
      ],
      ['wallet_first', get(`${apiUrl}/users/me/wallet?page=1&page_size=20`, author), SAMPLES],
      [
        'wallet_deep',
        get(`${apiUrl}/users/me/wallet?page=${size.deepPage}&page_size=20`, author),
        20,
      ],
      [
        'wallet_cursor_deep',
        byCursor(`${apiUrl}/users/me/wallet?page=${before}&page_size=20`, author),
        SAMPLES,
      ],
      ['statement_first', get(`${apiUrl}/users/me/statement?page=1&page_size=20`, author), SAMPLES],
      [
        'statement_deep',
        get(`${apiUrl}/users/me/statement?page=${size.deepPage}&page_size=20`, author),
        20,
      ],
      [
        'statement_cursor_deep',
        byCursor(`${apiUrl}/users/me/statement?page=${before}&page_size=20`, author),
        SAMPLES,
      ],
      [
        'admin_rewards_filtered',
        get(`${apiUrl}/admin/rewards?status=1&article_id=${a}&page=1&page_size=20`, staff),
        SAMPLES,
      ],
      [
        'admin_rewards_deep',
        get(`${apiUrl}/admin/rewards?status=1&page=${size.deepPage}&page_size=20`, staff),
        10,
      ],
      [
        'admin_rewards_cursor_deep',
        byCursor(`${apiUrl}/admin/rewards?status=1&page=${before}&page_size=20`, staff),
        SAMPLES,
      ],
      ['admin_stats', get(`${apiUrl}/admin/stats`, staff), SAMPLES],
      ['sweep_round', sweepRound, SAMPLES],
      ['ledger_verify', get(`${apiUrl}/admin/ledger/verify`, staff), 1],
    ];
  };
  const client = await db.connect();
  const figures = {};
  const seeded = {};
  try {
    let have = { users: 0, articles: 0, tips: 0, pending: 0 };
    for (const [name, divisor] of [
      ['small', 1000],
      ['full', 1],
    ]) {
      const want = Object.fromEntries(Object.entries(FULL).map(([k, n]) => [k, n / divisor]));
      log(`scale: seeding up to ${JSON.stringify(want)}`);
      seeded[name] = await seed(client, have, want);
      have = want;
      log(`scale: seeded in ${(seeded[name] / 1000).toFixed(1)} s; measuring`);
      // The popular article's supporters were cached before the seed: let the cache lapse.
      await new Promise((done) => setTimeout(done, 1500));
      figures[name] = {};
      for (const [request, run, count] of requests({ deepPage: 5000 / divisor })) {
        figures[name][request] = await timed(run, count);
        log(
          `scale ${name} ${request}: p50 ${figures[name][request].p50.toFixed(1)} ms, p99 ${figures[name][request].p99.toFixed(1)} ms`,
        );
      }
    }
    const explained = await explainAll(client);
    const verify = await json(`${apiUrl}/admin/ledger/verify`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    return { figures, seeded, verify, explained, config: FULL };
  } finally {
    client.release();
  }
}

/**
 * The plans of the statements behind the requests above at full size (EXPLAIN ANALYZE, run
 * straight through pg), for docs/BENCHMARKS.md: where a request is not flat, which scan.
 */
async function explainAll(client) {
  const { rows } = await client.query('SELECT user_id FROM articles WHERE id = $1', [SSR_ARTICLE]);
  const author = rows[0].user_id;
  // The rows a client paging 20 at a time reaches at page 5000 (its cursor's ids).
  const [{ id: deepReceived }] = (
    await client.query(
      `SELECT id FROM rewards WHERE author_id = $1 AND status IN (1, 4)
        ORDER BY paid_at DESC, id DESC OFFSET 99979 LIMIT 1`,
      [author],
    )
  ).rows;
  const [{ id: deepPaid }] = (
    await client.query(
      'SELECT id FROM rewards WHERE status = 1 ORDER BY id DESC OFFSET 99979 LIMIT 1',
    )
  ).rows;
  const statements = {
    supporters: [
      `SELECT r.user_id, max(r.paid_at), sum(r.money) FROM rewards r
        WHERE r.article_id = $1 AND r.status = 1 AND NOT r.anonymous GROUP BY r.user_id`,
      [SSR_ARTICLE],
    ],
    // The summary read since migration 1765000000000 (WalletService.supporters): the first
    // page (its head and 51 rows, cached) and a deep page after a cursor, each one index range.
    supporters_summary_first: [
      `SELECT c.supporters, s.* FROM article_supporter_counts c
         LEFT JOIN LATERAL (SELECT * FROM article_supporters s WHERE s.article_id = $1
                             ORDER BY s.time DESC NULLS LAST, s.anonymous, s.user_id, s.reward_id
                             LIMIT 51) s ON true
        WHERE c.article_id = $1`,
      [SSR_ARTICLE],
    ],
    supporters_summary_cursor: [
      `SELECT * FROM article_supporters s
        WHERE s.article_id = $1
          AND s.time < (SELECT time FROM article_supporters WHERE article_id = $1
                         ORDER BY time DESC NULLS LAST OFFSET 10000 LIMIT 1)
        ORDER BY s.time DESC NULLS LAST, s.anonymous, s.user_id, s.reward_id LIMIT 11`,
      [SSR_ARTICLE],
    ],
    // A refund of a named tip recomputes its payer's row from their tips of the article.
    supporters_refund_recompute: [
      `SELECT max(paid_at), sum(money), count(*),
              (array_agg(message ORDER BY paid_at DESC NULLS LAST, id DESC))[1]
         FROM rewards
        WHERE article_id = $1 AND status = 1 AND NOT anonymous
          AND user_id = (SELECT user_id FROM article_supporters
                          WHERE article_id = $1 AND NOT anonymous LIMIT 1)`,
      [SSR_ARTICLE],
    ],
    wallet_received_count: [
      'SELECT count(*) FROM rewards WHERE author_id = $1 AND status IN (1, 4)',
      [author],
    ],
    wallet_received_deep: [
      `SELECT id FROM rewards WHERE author_id = $1 AND status IN (1, 4)
        ORDER BY paid_at DESC, id DESC OFFSET 100000 LIMIT 20`,
      [author],
    ],
    // WalletService.receivedPage: the page's ids by the partial index, then their rows; by
    // cursor (the row 99,980 deep, read back by its id) and by page=5000.
    wallet_received_cursor_deep: [
      `SELECT r.*, a.name, u.nickname FROM rewards r
         JOIN articles a ON a.id = r.article_id JOIN users u ON u.id = r.user_id
        WHERE r.id IN (SELECT x.id FROM rewards x WHERE x.author_id = $1 AND x.status IN (1, 4)
                 AND (x.paid_at, x.id) < ((SELECT y.paid_at FROM rewards y WHERE y.id = $2), $2)
                ORDER BY x.paid_at DESC, x.id DESC LIMIT 21)
        ORDER BY r.paid_at DESC, r.id DESC`,
      [author, deepReceived],
    ],
    wallet_received_page_deep: [
      `SELECT r.*, a.name, u.nickname FROM rewards r
         JOIN articles a ON a.id = r.article_id JOIN users u ON u.id = r.user_id
        WHERE r.id IN (SELECT x.id FROM rewards x WHERE x.author_id = $1 AND x.status IN (1, 4)
                ORDER BY x.paid_at DESC, x.id DESC LIMIT 21 OFFSET 99980)
        ORDER BY r.paid_at DESC, r.id DESC`,
      [author],
    ],
    // RewardReportsService.list: the page's ids by the filter's index, then their rows.
    admin_rewards_filtered: [
      `SELECT r.*, a.name, p.nickname, au.nickname FROM rewards r
         LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN users p ON p.id = r.user_id
         LEFT JOIN users au ON au.id = r.author_id
        WHERE r.id IN (SELECT x.id FROM rewards x WHERE x.status = 1 AND x.article_id = $1
                        ORDER BY x.id DESC LIMIT 21)
        ORDER BY r.id DESC`,
      [SSR_ARTICLE],
    ],
    admin_rewards_status_cursor_deep: [
      `SELECT r.*, a.name, p.nickname, au.nickname FROM rewards r
         LEFT JOIN articles a ON a.id = r.article_id LEFT JOIN users p ON p.id = r.user_id
         LEFT JOIN users au ON au.id = r.author_id
        WHERE r.id IN (SELECT x.id FROM rewards x WHERE x.status = 1 AND x.id < $1
                        ORDER BY x.id DESC LIMIT 21)
        ORDER BY r.id DESC`,
      [deepPaid],
    ],
    admin_rewards_count: [
      'SELECT count(*) FROM rewards WHERE status = 1 AND article_id = $1',
      [SSR_ARTICLE],
    ],
    // What the list answers as total: counted up to 10,000 (then total_exact: false).
    admin_rewards_bounded_count: [
      `SELECT count(*) FROM (SELECT 1 FROM rewards WHERE status = 1 LIMIT 10001) capped`,
      [],
    ],
    admin_stats: [
      `SELECT to_char(created_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, status,
              count(*)::int, sum(money) FROM rewards GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      [],
    ],
    // RewardReportsService.stats since migration 1765000000000: the daily summary's rows.
    admin_stats_summary: [
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, status, sum(orders)::int, sum(amount)
         FROM reward_daily_stats GROUP BY day, status HAVING sum(orders) <> 0
        ORDER BY day DESC, status`,
      [],
    ],
    sweep_claim: [
      `SELECT id FROM rewards WHERE status = ANY($1) AND pay_type = 0 AND next_check_at <= now()
        ORDER BY next_check_at LIMIT 50`,
      [[0, 2, 3]],
    ],
  };
  const plans = {};
  for (const [name, [sql, params]] of Object.entries(statements)) {
    const { rows: plan } = await client.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    plans[name] = plan.map((row) => row['QUERY PLAN']).join('\n');
    log(`EXPLAIN ${name}:\n${plans[name]}`);
  }
  return plans;
}
