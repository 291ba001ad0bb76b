#!/usr/bin/env node
// `npm run bench`: measures the system against this machine's own limits, side by side in one
// run, and writes docs/BENCHMARKS.md and docs/benchmarks.json. See docs/BENCHMARKS.md.
//
// Starts, all on 127.0.0.1 with free ports and in a temporary directory: embedded PostgreSQL,
// the Alipay sandbox, the API (`node dist/.../main.js`, rate limits raised through their
// variables), the Nuxt server (`node nuxt-app/bench/.output/server/index.mjs`: the site built
// as a layer of nuxt-app/bench, which adds the /__bench/bare baseline page) and the baselines.
// Load comes from a separate process (load.mjs, autocannon). Every run is time-bounded.
//
// The parts: options.mjs (what to run, from the environment), process-control.mjs (the
// children and the cleanup), measure.mjs (CPU, memory, load), scenarios/ (one file per
// measured path and its baseline), report.mjs (the table and docs/).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CONNECTIONS, DURABLE, log, ONLY, PROFILE, READERS, root, SCALE } from './options.mjs';
import { MemoryWatch, cpuRoots, memoryWatches, processTree, statusKb } from './measure.mjs';
import { build, cleanup, dist, onCleanup, start, tmp, waitFor } from './process-control.mjs';
import { report, reportScale } from './report.mjs';
import { articleJson } from './scenarios/article-json.mjs';
import { articlePage } from './scenarios/article-page.mjs';
import { notify } from './scenarios/notify.mjs';
import { orders } from './scenarios/orders.mjs';
import { popularPage } from './scenarios/popular-page.mjs';
import { scale } from './scenarios/scale.mjs';

process.chdir(root);
const { startEmbeddedPostgres, findFreePort } = await import(dist('libs/database/src/index.js'));
const config = await import(dist('libs/config/src/index.js'));

// Fresh development key pairs for this run, made as `npm start` makes its own.
const { paths: keys } = config.ensureDevKeys(join(tmp, 'keys'));
const appPrivateKeyPem = readFileSync(keys.appPrivateKey, 'utf8');
const alipayPrivateKeyPem = readFileSync(keys.alipayPrivateKey, 'utf8');

const results = {};
const started = Date.now();
const loadAtStart = os
  .loadavg()
  .map((n) => n.toFixed(2))
  .join(' / ');
try {
  log(`starting embedded PostgreSQL in ${tmp}`);
  const database = await startEmbeddedPostgres({
    dataDir: join(tmp, 'pg'),
    port: 0,
    ephemeral: !DURABLE,
  });
  onCleanup(() => database.stop());
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query('CREATE DATABASE renran_bench');
  await admin.end();
  const databaseUrl = database.urlFor('renran_bench');

  const [sandboxPort, apiPort, webPort, barePort, httpPort, rawPort, fastifyPort] = [
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
    await findFreePort(),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const bareUrl = `http://127.0.0.1:${barePort}`;

  log('starting the Alipay sandbox, the API and the site');
  start('sandbox', [join(build, 'dist/apps/alipay-sandbox/apps/alipay-sandbox/src/main.js')], {
    APP_ENV: 'development',
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_STATE_DIR: join(tmp, 'sandbox'),
    SANDBOX_APP_PUBLIC_KEY_PATH: keys.appPublicKey,
    SANDBOX_ALIPAY_PRIVATE_KEY_PATH: keys.alipayPrivateKey,
  });
  await waitFor(`http://127.0.0.1:${sandboxPort}/sandbox/trades`, 'the sandbox');

  const apiArgs = [dist('apps/api/src/main.js')];
  if (PROFILE) apiArgs.unshift('--cpu-prof', `--cpu-prof-dir=${join(tmp, 'prof')}`);
  if (process.env.BENCH_API_NODE_ARGS)
    apiArgs.unshift(...process.env.BENCH_API_NODE_ARGS.split(' '));
  // The API runs in the temporary directory, so development key generation never touches keys/.
  const api = start(
    'api',
    apiArgs,
    {
      APP_ENV: 'development',
      TZ: 'Asia/Shanghai',
      // The bench's own embedded cluster: development defaults and the demo data apply.
      EMBEDDED_DATABASE_URL: databaseUrl,
      API_PORT: String(apiPort),
      SANDBOX_PORT: String(sandboxPort),
      WEB_PORT: String(webPort),
      ALIPAY_APP_PRIVATE_KEY_PATH: keys.appPrivateKey,
      // Public-key mode on purpose: the raw order baseline signs the same parameters as the API,
      // and certificate mode only adds two constant serial numbers to them.
      ALIPAY_PUBLIC_KEY_PATH: keys.alipayPublicKey,
      RATE_LIMIT_LOGIN: '1000000',
      RATE_LIMIT_LOGIN_ACCOUNT: '1000000',
      RATE_LIMIT_REGISTER: '1000000',
      RATE_LIMIT_ORDERS: '1000000',
      // The bench's own pending orders must not be swept while it measures.
      RECONCILE_INTERVAL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      // As `npm start` and the Dockerfile run it (README, "The API's heap").
      NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS ?? '--max-old-space-size=256',
    },
    tmp,
  );
  await waitFor(`${apiUrl}/health`, 'the API');

  const webArgs = ['nuxt-app/bench/.output/server/index.mjs'];
  if (PROFILE) webArgs.unshift('--cpu-prof', `--cpu-prof-dir=${join(tmp, 'prof-web')}`);
  const web = start('web', webArgs, {
    PORT: String(webPort),
    HOST: '127.0.0.1',
    NUXT_API_BASE: apiUrl,
    NODE_ENV: 'production',
    // As `npm start` and the Dockerfile run it.
    NODE_OPTIONS: process.env.BENCH_WEB_NODE_OPTIONS ?? '--max-old-space-size=256',
  });
  await waitFor(`${webUrl}/`, 'the site');

  const rss = () =>
    `API RSS ${Math.round(processTree(api.pid).reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0) / 1024)} MB`;
  log(`up; ${rss()}`);
  cpuRoots.set('api', api.pid);
  cpuRoots.set('web', web.pid);
  cpuRoots.set(
    'pg',
    Number(readFileSync(join(tmp, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]),
  );
  const apiMemory = new MemoryWatch(api.pid);
  const webMemory = new MemoryWatch(web.pid);
  apiMemory.name = 'api';
  webMemory.name = 'web';
  memoryWatches.push(apiMemory, webMemory);
  const sampler = setInterval(() => {
    apiMemory.sample();
    webMemory.sample();
  }, 200);
  // BENCH_DIAG=1: what the database sessions wait on during the load, for the speed work.
  const waits = new Map();
  const diagPool =
    process.env.BENCH_DIAG === '1' ? new pg.Pool({ connectionString: databaseUrl, max: 1 }) : null;
  const diag = diagPool
    ? setInterval(() => {
        diagPool
          .query(
            `SELECT coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-') || ' ' || state || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS what
               FROM pg_stat_activity WHERE datname = 'renran_bench' AND pid <> pg_backend_pid() AND state <> 'idle'`,
          )
          .then(({ rows }) => {
            for (const { what } of rows) waits.set(what, (waits.get(what) ?? 0) + 1);
          })
          .catch(() => undefined);
      }, 100)
    : null;

  // ------------------------------------------------------------ data
  const json = async (url, init = {}) => {
    const response = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
  const readers = [];
  for (let i = 1; i <= READERS; i++) {
    const username = `bench_reader_${i}`;
    const password = `bench-pass-${randomBytes(4).toString('hex')}`;
    await json(`${apiUrl}/users/register`, {
      method: 'POST',
      body: JSON.stringify({ username, password, nickname: `读者${i}` }),
    });
    const { token, user } = await json(`${apiUrl}/users/login`, {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    });
    readers.push({ id: user.id, token });
  }
  const { items: articles } = await json(`${apiUrl}/article/?page=1&page_size=20`);
  const articleIds = articles.map((article) => article.id);
  const db = new pg.Pool({ connectionString: databaseUrl, max: CONNECTIONS.notify + 2 });
  const { rows: articleRows } = await db.query(
    'SELECT id, user_id FROM articles WHERE id = ANY($1::int[]) ORDER BY id',
    [articleIds],
  );
  const authorId = articleRows[0].user_id;
  const sameAuthor = articleRows.filter((row) => row.user_id === authorId).map((row) => row.id);
  log(`${READERS} readers, ${sameAuthor.length} articles by author ${authorId}`);

  const orderBody = (i) =>
    JSON.stringify({
      article_id: sameAuthor[i % sameAuthor.length],
      pay_type: 0,
      money: '1.00',
      message: '写得真好，请你喝杯咖啡',
    });

  const ctx = {
    apiUrl,
    webUrl,
    bareUrl,
    barePort,
    httpPort,
    rawPort,
    fastifyPort,
    databaseUrl,
    keys,
    db,
    readers,
    sameAuthor,
    authorId,
    orderBody,
    json,
    rss,
    appPrivateKeyPem,
    alipayPrivateKeyPem,
    config,
  };
  // The reading phases come first, on the demo data as `npm start` seeds it; the payment phases
  // then leave thousands of paid tips on the demo articles.
  if (SCALE) {
    const { DEMO_ACCOUNTS } = await import(dist('apps/api/src/database/seeds/demo-accounts.js'));
    results.scale = await scale({ ...ctx, demoAccounts: DEMO_ACCOUNTS });
  }
  if (!SCALE && ONLY.has('json')) results.json = await articleJson(ctx);
  if (!SCALE && ONLY.has('ssr')) results.ssr = await articlePage(ctx);
  if (!SCALE && ONLY.has('orders')) results.orders = await orders(ctx);
  if (!SCALE && ONLY.has('notify')) results.notify = await notify(ctx);
  if (results.ssr && results.notify)
    results.popular = await popularPage({ ...ctx, ssr: results.ssr });

  clearInterval(sampler);
  if (diag) {
    clearInterval(diag);
    await diagPool.end();
    console.log('database sessions seen (every 100 ms):');
    for (const [what, n] of [...waits].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`  ${String(n).padStart(6)}  ${what}`);
    }
  }
  apiMemory.sample();
  webMemory.sample();
  results.memory = {
    api: { peakMb: apiMemory.peakMb, processes: apiMemory.processes },
    web: { peakMb: webMemory.peakMb, processes: webMemory.processes },
  };
  await db.end();
} catch (error) {
  console.error(`✖ bench failed: ${error.stack ?? error}`);
  await cleanup();
  process.exit(1);
}
await cleanup();

if (SCALE) await reportScale(results.scale);
else await report(results, { started, loadAtStart });
