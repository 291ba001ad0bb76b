import { jest } from '@jest/globals';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { call, registerAndLogin, type Reply } from './support/http.js';
import { ReliabilitySystem, type ManagedProcess } from './support/processes.js';
import { printReport, World, type ReportRow } from './support/world.js';

jest.setTimeout(240_000);

const RUNS = 500;
const JWT_SECRET = 'reliability-suite-secret-0123456789abcdef';
const report: ReportRow[] = [];
const system = new ReliabilitySystem();
let world: World;
let limited: ManagedProcess;

beforeAll(async () => {
  await system.start();
  world = await World.create(system, 'fuzz', {
    env: { BODY_LIMIT: '8kb', ARTICLE_BODY_LIMIT: '8kb' },
  });
  // A second instance on the same database with tight limits, for the 429 checks.
  limited = await system.startApi(system.databaseUrl(world.databaseName), {
    RATE_LIMIT_LOGIN: '5',
    RATE_LIMIT_ORDERS: '5',
  });
}, 120_000);
afterAll(async () => {
  printReport('Reliability: property-based fuzzing (fast-check)', report);
  await limited?.stop();
  await world?.close();
  await system.stopAll();
});

interface Snapshot {
  users: number;
  articles: number;
  rewards: number;
  entries: number;
  notices: number;
  balances: string;
}

async function snapshot(): Promise<Snapshot> {
  const [row] = await world.sql<Snapshot>(
    `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM articles) AS articles,
            (SELECT count(*)::int FROM rewards) AS rewards, (SELECT count(*)::int FROM ledger_entries) AS entries,
            (SELECT count(*)::int FROM alipay_notifications) AS notices,
            (SELECT COALESCE(sum(money), 0)::text FROM users) AS balances`,
  );
  return row;
}

/** Strings that try to break out: SQL, HTML, control characters, long and odd Unicode. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom(
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '1; UPDATE users SET money = 99999999',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '\u0000\u0001\u001f',
    '%00%27',
    '${7*7}{{7*7}}',
    '9'.repeat(400),
    '-0',
    'NaN',
    'Infinity',
    '1e308',
  ),
);
const anyJson = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

interface Tally {
  sent: number;
  statuses: Map<number, number>;
}

function tallied(name: string): { tally: Tally; row: () => ReportRow } {
  const tally: Tally = { sent: 0, statuses: new Map() };
  return {
    tally,
    row: () => ({
      case: name,
      injected: `${RUNS} generated inputs`,
      requests: tally.sent,
      result: `no 5xx; ${[...tally.statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}x${n}`)
        .join(' ')}`,
    }),
  };
}

function record(tally: Tally, reply: Reply): void {
  tally.sent += 1;
  tally.statuses.set(reply.status, (tally.statuses.get(reply.status) ?? 0) + 1);
  expect(reply.status).toBeLessThan(500);
  expect(reply.text).not.toMatch(/\n\s+at /);
}

/** Fuzzes one endpoint; a rejected (4xx) request must leave every table as it was. */
async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  send: (input: T) => Promise<Reply>,
): Promise<void> {
  const { tally, row } = tallied(name);
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const before = await snapshot();
        const reply = await send(input);
        record(tally, reply);
        if (reply.status >= 400) {
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    const ledger = await world.ledgerVerified();
    expect(ledger.ok).toBe(true);
    report.push({ ...row(), result: `${row().result}; rejected inputs wrote nothing; ledger ok` });
  } catch (error) {
    report.push({ ...row(), result: `FAILED: ${(error as Error).message.split('\n')[0]}` });
    throw error;
  }
}

it('POST /payments/alipay/: bodies and Idempotency-Key headers', async () => {
  const body = fc.record(
    {
      article_id: fc.oneof(fc.constant(world.articleId), anyJson),
      pay_type: fc.oneof(fc.constantFrom(0, 1), anyJson),
      money: fc.oneof(
        fc.constantFrom('5', '0.01', '10000.00', '10000.01', '1.001', '0', '-1'),
        fc.integer({ min: -5, max: 200 }),
        anyJson,
      ),
      message: fc.oneof(nasty, anyJson),
      anonymous: fc.oneof(fc.boolean(), anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  );
  const key = fc.option(fc.oneof(fc.uuid(), nasty), { nil: undefined });
  await world
    .sql('UPDATE users SET money = 0 WHERE id = $1', [world.reader.id])
    .catch(() => undefined);
  await fuzz('orders', fc.tuple(body, key), ([json, idempotencyKey]) =>
    call(world.api.url, 'POST', '/payments/alipay/', {
      token: world.reader.token,
      json,
      headers:
        idempotencyKey === undefined
          ? {}
          : { 'idempotency-key': encodeURIComponent(idempotencyKey).slice(0, 200) },
    }),
  );
});

it('POST /payments/alipay/result/: notification forms, forged and mutated', async () => {
  const [order] = await world.createOrders(1, '5.00');
  const genuine = world.notice({ out_trade_no: order.trade_no, total_amount: '5.00' });
  const mutated = fc
    .tuple(fc.constantFrom(...Object.keys(genuine)), nasty)
    .filter(([field, value]) => genuine[field] !== value && !(field === 'sign_type'))
    .map(([field, value]) => ({ ...genuine, [field]: value }));
  const forms = fc.oneof(
    mutated,
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('sign', 'out_trade_no', 'trade_status', 'total_amount'),
      ),
      nasty,
      { maxKeys: 8 },
    ),
  );
  const { tally, row } = tallied('notifications');
  await fc.assert(
    fc.asyncProperty(forms, async (form) => {
      const before = await snapshot();
      const reply = await call(world.api.url, 'POST', '/payments/alipay/result/', { form });
      record(tally, reply);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('fail');
      expect(await snapshot()).toEqual(before);
    }),
    { numRuns: RUNS },
  );
  report.push({
    ...row(),
    result: `${row().result}; every forged form answered "fail", nothing stored`,
  });
});

it('GET /payments/alipay/result/: forged return queries', async () => {
  await fuzz(
    'returns',
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('out_trade_no', 'sign', 'total_amount')),
      nasty,
      { maxKeys: 6 },
    ),
    (query) =>
      call(
        world.api.url,
        'GET',
        `/payments/alipay/result/?${new URLSearchParams(query).toString()}`,
        { token: world.reader.token },
      ),
  );
});

it('POST /users/register and /users/login: bodies', async () => {
  const body = fc.record(
    {
      username: fc.oneof(nasty, anyJson),
      password: fc.oneof(nasty, anyJson),
      nickname: fc.oneof(nasty, anyJson),
    },
    { requiredKeys: [] },
  );
  await fuzz('register', body, (json) => call(world.api.url, 'POST', '/users/register', { json }));
  await fuzz('login', body, (json) => call(world.api.url, 'POST', '/users/login', { json }));
});

it('POST /article/ and PATCH /article/:id: bodies, with HTML and SQL staying inert', async () => {
  const body = fc.record(
    {
      name: fc.oneof(nasty, anyJson),
      content: fc.oneof(nasty, anyJson),
      is_public: fc.oneof(fc.boolean(), anyJson),
    },
    { requiredKeys: [] },
  );
  await fuzz('articles', body, (json) =>
    call(world.api.url, 'POST', '/article/', { token: world.author.token, json }),
  );
  // An article of its own: the updates may unpublish it, and later cases tip the main one.
  const target = await call(world.api.url, 'POST', '/article/', {
    token: world.author.token,
    json: { name: '被修改的文章', content: '正文' },
  });
  await fuzz('article updates', body, (json) =>
    call(world.api.url, 'PATCH', `/article/${target.body.id}`, {
      token: world.author.token,
      json,
    }),
  );
  const renders = await world.sql<{ render: string }>('SELECT render FROM articles');
  for (const { render } of renders) {
    expect(render).not.toMatch(
      /<script|<[^>]*\son\w+\s*=|<[^>]*(href|src)\s*=\s*["']?\s*javascript:/i,
    );
  }
  const tables = await world.sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
  );
  expect(tables[0].n).toBeGreaterThanOrEqual(8);
});

it('GET queries and paths: lists, details, admin filters', async () => {
  const query = fc.dictionary(
    fc.oneof(
      fc.string(),
      fc.constantFrom('page', 'page_size', 'status', 'article_id', 'user_id', 'from', 'to'),
    ),
    nasty,
    { maxKeys: 5 },
  );
  await fuzz('article list', query, (q) =>
    call(world.api.url, 'GET', `/article/?${new URLSearchParams(q).toString()}`),
  );
  await fuzz('article detail', nasty, (id) =>
    call(world.api.url, 'GET', `/article/detail/${encodeURIComponent(id)}/`),
  );
  await fuzz('admin rewards (staff)', query, (q) =>
    call(world.api.url, 'GET', `/admin/rewards?${new URLSearchParams(q).toString()}`, {
      token: world.staff.token,
    }),
  );
});

it('headers: Authorization forms; alg none, expired and foreign tokens are 401', async () => {
  const claims = { sub: world.reader.id, username: world.reader.username };
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  const expired = jwt.sign(claims, JWT_SECRET, { expiresIn: -60 });
  const foreign = jwt.sign(claims, 'some-other-secret-that-is-long-enough!!');
  const hs512 = jwt.sign(claims, JWT_SECRET, { algorithm: 'HS512' });
  for (const token of [none, expired, foreign, hs512]) {
    for (const scheme of ['Bearer', 'jwt']) {
      const reply = await call(world.api.url, 'GET', '/users/me', {
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(reply.status).toBe(401);
    }
  }
  await fuzz(
    'authorization header',
    fc.oneof(nasty, fc.constantFrom('Bearer', 'jwt ', 'Bearer a.b.c', `Bearer ${none}`)),
    (header) =>
      call(world.api.url, 'GET', '/users/me', {
        headers: { authorization: header.replace(/[^\t\x20-\x7e]/g, '?') },
      }),
  );
});

it('limits: bodies over BODY_LIMIT (ARTICLE_BODY_LIMIT on articles) get 413; readers get 403 on staff routes; 429 past the rate limits', async () => {
  const big = 'x'.repeat(10_000);
  for (const [method, path] of [
    ['POST', '/users/register'],
    ['POST', '/article/'],
    ['POST', '/payments/alipay/'],
  ] as const) {
    const reply = await call(world.api.url, method, path, {
      token: world.reader.token,
      json: { name: big, content: big },
    });
    expect(reply.status).toBe(413);
  }
  const form = await call(world.api.url, 'POST', '/payments/alipay/result/', {
    form: { sign: big },
  });
  expect(form.status).toBe(413);

  const tradeNo = 'no_such_trade';
  for (const [method, path] of [
    ['GET', '/admin/rewards'],
    ['GET', '/admin/stats'],
    ['GET', '/admin/ledger/verify'],
    ['POST', `/admin/rewards/${tradeNo}/sync`],
    ['POST', `/admin/rewards/${tradeNo}/refund`],
  ] as const) {
    expect((await call(world.api.url, method, path, { token: world.reader.token })).status).toBe(
      403,
    );
  }

  const logins: number[] = [];
  for (let i = 0; i < 7; i++) {
    // From an address of its own: the fuzzing above spent 127.0.0.1's login budget.
    logins.push(
      (
        await call(limited.url, 'POST', '/users/login', {
          json: { username: 'limit_target', password: 'wrong-password' },
          headers: { 'x-forwarded-for': '198.51.100.7' },
        })
      ).status,
    );
  }
  expect(logins.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(logins.slice(5)).toEqual([429, 429]);

  const payer = await registerAndLogin(world.api.url, 'limited');
  const orders: number[] = [];
  for (let i = 0; i < 7; i++) {
    const reply = await call(limited.url, 'POST', '/payments/alipay/', {
      token: payer.token,
      json: { article_id: world.articleId, pay_type: 0, money: '1' },
    });
    orders.push(reply.status);
    if (reply.status === 429) expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  expect(orders).toEqual([201, 201, 201, 201, 201, 429, 429]);
  report.push({
    case: 'limits',
    injected: '10 kB bodies, reader on staff routes, bursts past the limits',
    requests: 3 + 1 + 5 + 7 + 7,
    result: '413 for oversized bodies; 403 on all 5 staff routes; login and orders 429 after 5/min',
  });
});
