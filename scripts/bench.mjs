#!/usr/bin/env node
// `npm run bench`: measures the system against this machine's own limits, side by side in one
// run, and writes docs/BENCHMARKS.md and docs/benchmarks.json. See docs/BENCHMARKS.md.
//
// Starts, all on 127.0.0.1 with free ports and in a temporary directory: embedded PostgreSQL,
// the Alipay sandbox, the API (`node dist/.../main.js`, rate limits raised through their
// variables), the Nuxt server (`node nuxt-app/bench/.output/server/index.mjs`: the site built
// as a layer of nuxt-app/bench, which adds the /__bench/bare baseline page) and a bare Nest app. Load comes
// from a separate process (scripts/bench/load.mjs, autocannon). Every run is time-bounded.
//
// Options (environment): BENCH_DURATION (seconds per measured run, default 12),
// BENCH_ONLY (comma list of orders,notify,json,ssr), BENCH_PROFILE=1 (API under --cpu-prof,
// profiles kept in the printed directory), BENCH_DURABLE=1 (PostgreSQL with fsync on),
// BENCH_NO_WRITE=1 (print only), API_WORKERS (passed to the API), BENCH_API_NODE_OPTIONS
// (NODE_OPTIONS for the API process only), BENCH_WEB_NODE_OPTIONS (the same for the site),
// BENCH_API_NODE_ARGS (node flags for the API),
// BENCH_DIST (another dist/ to measure).
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const DURATION = Number(process.env.BENCH_DURATION ?? 12);
const WARMUP = 3;
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'orders,notify,json,ssr').split(',').map((s) => s.trim()),
);
const PROFILE = process.env.BENCH_PROFILE === '1';
// The test suites' settings (fsync off) unless BENCH_DURABLE=1: see "How it is measured".
const DURABLE = process.env.BENCH_DURABLE === '1';
const CONNECTIONS = { orders: 32, notify: 16, json: 32, ssr: 32 };
const READERS = 8;
const SSR_ARTICLE = 1;

// BENCH_DIST: measure another build of the API and sandbox (a dist/ folder), e.g. an older
// commit's, against the same site, to see what a change bought.
const distRoot = process.env.BENCH_DIST ?? join(root, 'dist');
for (const entry of [
  join(distRoot, 'apps/api/apps/api/src/main.js'),
  join(distRoot, 'apps/alipay-sandbox/apps/alipay-sandbox/src/main.js'),
  join(root, 'nuxt-app/bench/.output/server/index.mjs'),
]) {
  if (!existsSync(entry)) {
    console.error(`✖ ${entry} is missing: run \`npm run bench\` (it builds first)`);
    process.exit(1);
  }
}
// Others may rebuild dist/ while we measure (the test suites run it): run a private copy, inside
// the project so that node_modules resolve as usual.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const build = mkdtempSync(join(root, 'node_modules/.cache/renran-bench-'));
for (const app of ['api', 'alipay-sandbox']) {
  cpSync(join(distRoot, 'apps', app), join(build, 'dist/apps', app), { recursive: true });
}
const dist = (path) => join(build, 'dist/apps/api', path);
const { startEmbeddedPostgres, findFreePort } = await import(dist('libs/database/src/index.js'));
const { DEV_ALIPAY_APP_ID, DEV_ALIPAY_SELLER_ID, ensureDevKeys } = await import(
  dist('libs/config/src/index.js')
);

const t0 = Date.now();
const log = (line) =>
  console.log(`» [${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- processes and cleanup
const tmp = mkdtempSync(join(os.tmpdir(), 'renran-bench-'));
chmodSync(tmp, 0o755);
const children = [];
let database;
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    await Promise.all(
      children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map(
          (child) =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
            }),
        ),
    );
    await database?.stop().catch(() => undefined);
    rmSync(build, { recursive: true, force: true });
    if (PROFILE) {
      log(`CPU profiles kept in ${join(tmp, 'prof')}`);
    } else {
      rmSync(tmp, { recursive: true, force: true });
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

function start(name, args, env, cwd = root) {
  const logFile = join(tmp, `${name}.log`);
  const out = [];
  const { PORT: _port, DATABASE_URL: _database, ...base } = process.env;
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    out.push(chunk.toString());
    if (out.length > 400) out.splice(0, 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    writeFileSync(logFile, out.join(''));
    if (!cleaning) {
      console.error(`✖ ${name} exited (${signal ?? code}):\n${out.join('').slice(-3000)}`);
      void cleanup().then(() => process.exit(1));
    }
  });
  child.output = () => out.join('');
  children.push(child);
  return child;
}

async function waitFor(url, name, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${name} did not come up at ${url}`);
}

// ---------------------------------------------------------------- memory sampling
/** Every process whose ancestry leads to `pid` (cluster workers included). */
function processTree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

class MemoryWatch {
  constructor(pid) {
    this.pid = pid;
    this.peakSumKb = 0;
    this.hwm = new Map();
    this.tree = [pid];
    this.treeAge = 0;
  }
  sample() {
    // Only while load runs: set-up (registrations, logins) is not what we measure.
    if (loadsRunning === 0) return;
    if (this.treeAge++ % 10 === 0) this.tree = processTree(this.pid);
    let sum = 0;
    for (const pid of this.tree) {
      sum += statusKb(pid, 'VmRSS');
      this.hwm.set(pid, Math.max(this.hwm.get(pid) ?? 0, statusKb(pid, 'VmHWM')));
    }
    this.peakSumKb = Math.max(this.peakSumKb, sum);
    this.phasePeakKb = Math.max(this.phasePeakKb ?? 0, sum);
  }
  get peakMb() {
    return Math.round(this.peakSumKb / 1024);
  }
  get processes() {
    return this.tree.length;
  }
}

// ---------------------------------------------------------------- CPU accounting
// CPU time each part of the system spent during a run: unlike req/s, CPU per request barely
// moves when other work shares the machine, so it shows what a change bought.
const TICK_MS = 10; // USER_HZ is 100 on Linux
const cpuRoots = new Map();
/** CPU ticks of every process in the tree, by pid. */
function cpuTicks(root) {
  const ticks = new Map();
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone
    }
  }
  return ticks;
}
function cpuSnapshot() {
  return new Map([...cpuRoots].map(([name, pid]) => [name, cpuTicks(pid)]));
}
function cpuMsSince(before) {
  // Per process, so that one that exits meanwhile (an idle database connection) is not
  // counted as negative time.
  return Object.fromEntries(
    [...cpuRoots.keys()].map((name) => {
      const earlier = before.get(name) ?? new Map();
      let ticks = 0;
      for (const [pid, now] of cpuTicks(cpuRoots.get(name))) ticks += now - (earlier.get(pid) ?? 0);
      return [name, ticks * TICK_MS];
    }),
  );
}
const memoryWatches = [];
async function metered(run) {
  const before = cpuSnapshot();
  for (const watch of memoryWatches) watch.phasePeakKb = 0;
  const result = await run();
  const peakMb = Object.fromEntries(
    memoryWatches.map((watch) => [watch.name, Math.round(watch.phasePeakKb / 1024)]),
  );
  return { ...result, cpuMs: cpuMsSince(before), peakMb };
}

/**
 * Runs the measured job and its baseline in turns, half the time each per round, so that a
 * shift in what else this shared machine does lands on both sides of a ratio. Requests, time
 * and CPU add up; p50 is the request-weighted mean of the rounds' and p99 the worst round's.
 */
async function sideBySide(measuredJob, baselineJob, rounds = 2) {
  const measured = [];
  const baseline = [];
  for (let round = 0; round < rounds; round++) {
    measured.push(await metered(() => load(measuredJob(DURATION / rounds))));
    baseline.push(await metered(() => load(baselineJob(DURATION / rounds))));
  }
  return { measured: combineRuns(measured), baseline: combineRuns(baseline) };
}

function combineRuns(runs) {
  const sum = (pick) => runs.reduce((total, run) => total + (pick(run) ?? 0), 0);
  const requests = sum((run) => run.requests);
  const duration = sum((run) => run.duration);
  const names = (pick) => [...new Set(runs.flatMap((run) => Object.keys(pick(run) ?? {})))];
  return {
    ...runs[0],
    requests,
    duration,
    rps: requests / duration,
    latency: {
      p50: Math.round(sum((run) => run.latency.p50 * run.requests) / Math.max(1, requests)),
      p90: Math.max(...runs.map((run) => run.latency.p90)),
      p99: Math.max(...runs.map((run) => run.latency.p99)),
      max: Math.max(...runs.map((run) => run.latency.max)),
    },
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    unexpectedStatus: sum((run) => run.unexpectedStatus),
    mismatched: sum((run) => run.mismatched),
    bytes: sum((run) => run.bytes),
    cpuMs: Object.fromEntries(
      names((run) => run.cpuMs).map((name) => [name, sum((run) => run.cpuMs?.[name])]),
    ),
    peakMb: Object.fromEntries(
      names((run) => run.peakMb).map((name) => [
        name,
        Math.max(...runs.map((run) => run.peakMb?.[name] ?? 0)),
      ]),
    ),
  };
}

// ---------------------------------------------------------------- load generator
let loadsRunning = 0;
function load(job) {
  loadsRunning++;
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [join(root, 'scripts/bench/load.mjs'), JSON.stringify(job)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      loadsRunning--;
      if (code !== 0) return fail(new Error(`load generator exited ${code}`));
      done(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

function runWorkers(count, data) {
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise((done, fail) => {
          const worker = new Worker(join(root, 'scripts/bench/sign-worker.mjs'), {
            workerData: typeof data === 'function' ? data(index) : data,
          });
          worker.once('message', done);
          worker.once('error', fail);
        }),
    ),
  );
}

// ---------------------------------------------------------------- the system
// Fresh development key pairs for this run, made as `npm start` makes its own.
const { paths: keys } = ensureDevKeys(join(tmp, 'keys'));
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
  database = await startEmbeddedPostgres({
    dataDir: join(tmp, 'pg'),
    port: 0,
    ephemeral: !DURABLE,
  });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query('CREATE DATABASE renran_bench');
  await admin.end();
  const databaseUrl = database.urlFor('renran_bench');

  const [sandboxPort, apiPort, webPort, barePort] = [
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
    SANDBOX_APP_CERT_PATH: keys.appCert,
    SANDBOX_ALIPAY_CERT_PATH: keys.alipayCert,
    SANDBOX_ROOT_CERT_PATH: keys.alipayRootCert,
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
      ALIPAY_APP_CERT_PATH: keys.appCert,
      ALIPAY_PUBLIC_CERT_PATH: keys.alipayCert,
      ALIPAY_ROOT_CERT_PATH: keys.alipayRootCert,
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

  // ------------------------------------------------------------ 1. article JSON vs bare Nest
  // The reading phases come first, on the demo data as `npm start` seeds it; the payment phases
  // then leave thousands of paid tips on the demo articles.
  if (ONLY.has('json')) {
    const detailUrl = `${apiUrl}/article/detail/${SSR_ARTICLE}/`;
    const sample = await json(detailUrl);
    const answerFile = join(tmp, 'bare-answer.json');
    writeFileSync(answerFile, JSON.stringify(sample));
    const bareNest = start(
      'bare-nest',
      [join(root, 'scripts/bench/bare-nest.mjs'), String(barePort), answerFile],
      {},
    );
    cpuRoots.set('bare', bareNest.pid);
    await waitFor(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, 'the bare Nest app');
    const bareSample = await fetch(`${bareUrl}/article/detail/${SSR_ARTICLE}/`).then((r) =>
      r.text(),
    );
    const jsonJob = (url, duration) => ({
      url,
      connections: CONNECTIONS.json,
      duration,
      expectStatus: 200,
    });
    log(`article JSON: warm-up; ${rss()}`);
    await load(jsonJob(detailUrl, WARMUP));
    await load(jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, WARMUP));
    log(`article JSON: ${DURATION} s each at ${CONNECTIONS.json} connections`);
    const { measured: detail, baseline: bare } = await sideBySide(
      (duration) => jsonJob(detailUrl, duration),
      (duration) => jsonJob(`${bareUrl}/article/detail/${SSR_ARTICLE}/`, duration),
    );
    results.json = {
      detail,
      bare,
      bytes: Buffer.byteLength(JSON.stringify(sample)),
      bareBytes: Buffer.byteLength(bareSample),
    };
  }

  // ------------------------------------------------------------ 2. SSR vs bare Nuxt page
  if (ONLY.has('ssr')) {
    const pageUrl = `${webUrl}/p/${SSR_ARTICLE}`;
    const size = async (url) => {
      const response = await fetch(url);
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      return Buffer.byteLength(await response.text());
    };
    const pageBytes = await size(pageUrl);
    const emptyBytes = await size(`${webUrl}/__bench/bare?bytes=0`);
    const fill = Math.max(0, pageBytes - emptyBytes);
    const bareUrlPage = `${webUrl}/__bench/bare?bytes=${fill}`;
    const bareBytes = await size(bareUrlPage);
    const pageJob = (url, duration, headers) => ({
      url,
      connections: CONNECTIONS.ssr,
      duration,
      expectStatus: 200,
      ...(headers ? { headers } : {}),
    });
    // The stored count after the API's once-a-second write of the reads it counted.
    const storedReads = async () => {
      await sleep(1500);
      const { rows } = await db.query('SELECT read_count FROM articles WHERE id = $1', [
        SSR_ARTICLE,
      ]);
      return rows[0].read_count;
    };
    log(`article page SSR: warm-up; ${rss()}`);
    await load(pageJob(pageUrl, WARMUP));
    await load(pageJob(bareUrlPage, WARMUP));
    log(`article page SSR: ${DURATION} s each at ${CONNECTIONS.ssr} connections`);
    const readsBefore = await storedReads();
    const { measured: page, baseline: bare } = await sideBySide(
      (duration) => pageJob(pageUrl, duration),
      (duration) => pageJob(bareUrlPage, duration),
    );
    const readsCounted = (await storedReads()) - readsBefore;
    // Requests still in flight when a run stops are answered but not in autocannon's count.
    if (Math.abs(readsCounted - page.requests) > 2 * CONNECTIONS.ssr) {
      console.warn(
        `⚠ the article page counted ${readsCounted} reads for ${page.requests} pages served`,
      );
    }
    // A logged-in reader's page is rendered for every request (the anonymous page cache
    // never serves it): what rendering the page costs.
    const cookie = { cookie: `renran_token=${readers[0].token}` };
    await load(pageJob(pageUrl, WARMUP, cookie));
    const loggedIn = await metered(() => load(pageJob(pageUrl, DURATION, cookie)));
    results.ssr = { page, bare, loggedIn, readsCounted, pageBytes, bareBytes, pageJob, pageUrl };
  }

  // ------------------------------------------------------------ 3. orders vs signing
  if (ONLY.has('orders')) {
    const probe = await json(`${apiUrl}/payments/alipay/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readers[0].token}` },
      body: orderBody(0),
    });
    const params = Object.fromEntries(new URL(probe.pay_url).searchParams);
    const content = Object.keys(params)
      .filter((name) => name !== 'sign')
      .sort()
      .map((name) => `${name}=${params[name]}`)
      .join('&');
    const cores = os.availableParallelism();
    log(
      `signing rate: ${cores} worker threads, RSA2-2048 over ${Buffer.byteLength(content)} bytes`,
    );
    const rates = await runWorkers(cores, {
      job: 'rate',
      privateKeyPem: appPrivateKeyPem,
      content,
      durationMs: 4000,
    });
    const signRate = rates.reduce((sum, { count, seconds }) => sum + count / seconds, 0);

    const orderJob = (duration) => ({
      url: `${apiUrl}/payments/alipay/`,
      method: 'POST',
      connections: CONNECTIONS.orders,
      duration,
      headers: { 'content-type': 'application/json' },
      headerSets: readers.map((reader) => ({ authorization: `Bearer ${reader.token}` })),
      bodies: Array.from({ length: 50 }, (_, i) => orderBody(i)),
      expectStatus: 201,
    });
    log(`order creation: warm-up; ${rss()}`);
    await load(orderJob(WARMUP));
    log(`order creation: ${DURATION} s at ${CONNECTIONS.orders} connections`);
    const orders = await metered(() => load(orderJob(DURATION)));
    results.orders = { orders, signRate, signBytes: Buffer.byteLength(content), cores };
  }

  // ------------------------------------------------------------ 4. notify vs raw pg
  if (ONLY.has('notify')) {
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
            await client.query(
              'UPDATE articles SET reward_count = reward_count + 1 WHERE id = $1',
              [reward.article_id],
            );
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
    results.notify = { notify, raw };
  }

  // ------------------------------------------------------------ 5. the page again, popular
  // The same article page once the payment phases left thousands of paid tips on it: its
  // supporters are aggregated from every paid tip on each view.
  if (results.ssr && results.notify) {
    const { rows } = await db.query(
      'SELECT count(*)::int AS tips FROM rewards WHERE article_id = $1 AND status = 1',
      [SSR_ARTICLE],
    );
    log(`article page SSR with ${rows[0].tips} paid tips: ${DURATION} s`);
    await load(results.ssr.pageJob(results.ssr.pageUrl, WARMUP));
    const popular = await metered(() => load(results.ssr.pageJob(results.ssr.pageUrl, DURATION)));
    results.popular = { page: popular, tips: rows[0].tips };
  }

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

// ---------------------------------------------------------------- report
const round = (n, digits = 0) => (n === null ? null : Number(n.toFixed(digits)));
const rows = [];
const add = (name, value, baseline, unit, baselineLabel, target, met) =>
  rows.push({
    name,
    value: round(value, 1),
    baseline: baseline === null ? null : round(baseline, 1),
    ratio: baseline ? round(value / baseline, 2) : null,
    target,
    unit,
    baseline_is: baselineLabel,
    met,
  });

if (results.orders) {
  const { orders, signRate, cores, signBytes } = results.orders;
  add(
    'order_creation_rps',
    orders.rps,
    signRate,
    'req/s',
    `RSA2-2048 signatures/s of ${signBytes} bytes on ${cores} cores (node:crypto, worker_threads)`,
    'ratio >= 0.5',
    orders.rps / signRate >= 0.5,
  );
  if (orders.unexpectedStatus)
    console.warn(`! order creation: ${orders.unexpectedStatus} answers were not 201`);
}
if (results.notify) {
  const { notify, raw } = results.notify;
  add(
    'notify_settlements_per_s',
    notify.rate,
    raw.rate,
    'settlements/s',
    `the same settlement transaction straight through pg at ${CONNECTIONS.notify} clients`,
    'ratio >= 0.5',
    notify.rate / raw.rate >= 0.5,
  );
  if (notify.mismatched) console.warn(`! notify: ${notify.mismatched} answers were not "success"`);
}
if (results.json) {
  const { detail, bare, bytes } = results.json;
  add(
    'article_json_rps',
    detail.rps,
    bare.rps,
    'req/s',
    `a bare Nest route answering the same ${bytes}-byte JSON`,
    'ratio >= 0.5',
    detail.rps / bare.rps >= 0.5,
  );
}
if (results.ssr) {
  const { page, bare, pageBytes } = results.ssr;
  add(
    'article_ssr_rps',
    page.rps,
    bare.rps,
    'req/s',
    `a bare page of the same Nuxt server, same ${pageBytes}-byte HTML`,
    'ratio >= 0.5',
    page.rps / bare.rps >= 0.5,
  );
  add(
    'article_ssr_p50_ms',
    page.latency.p50,
    bare.latency.p50,
    'ms',
    'the bare page',
    'report',
    true,
  );
  add(
    'article_ssr_p99_ms',
    page.latency.p99,
    bare.latency.p99,
    'ms',
    'the bare page',
    '< 100 ms',
    page.latency.p99 < 100,
  );
  add(
    'article_ssr_rps_logged_in',
    results.ssr.loggedIn.rps,
    bare.rps,
    'req/s',
    'the bare page; a logged-in reader, so every request is rendered',
    'report',
    true,
  );
  add(
    'article_ssr_p99_ms_logged_in',
    results.ssr.loggedIn.latency.p99,
    bare.latency.p99,
    'ms',
    'the bare page',
    'report',
    true,
  );
}
if (results.popular) {
  add(
    'article_ssr_rps_popular',
    results.popular.page.rps,
    results.ssr.bare.rps,
    'req/s',
    `the bare page's figure above; /p/${SSR_ARTICLE} now has ${results.popular.tips} paid tips`,
    'report',
    true,
  );
}
if (results.memory) {
  add(
    'api_peak_rss_mb',
    results.memory.api.peakMb,
    null,
    'MB',
    `sum over ${results.memory.api.processes} process(es)`,
    '< 300 MB',
    results.memory.api.peakMb < 300,
  );
  add(
    'web_peak_rss_mb',
    results.memory.web.peakMb,
    null,
    'MB',
    `sum over ${results.memory.web.processes} process(es)`,
    'report',
    true,
  );
}

const header = ['metric', 'value', 'baseline', 'ratio', 'target', 'met'];
const tableRows = rows.map((row) => [
  row.name,
  `${row.value} ${row.unit}`,
  row.baseline === null ? '—' : `${row.baseline} ${row.unit}`,
  row.ratio === null ? '—' : String(row.ratio),
  row.target,
  row.target === 'report' ? '' : row.met ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...tableRows.map((r) => r[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of tableRows) console.log(line(row));
const details = [];
if (results.orders)
  details.push(
    `order creation: ${results.orders.orders.requests} requests, p50 ${results.orders.orders.latency.p50} ms, p99 ${results.orders.orders.latency.p99} ms, non-2xx ${results.orders.orders.non2xx}`,
  );
if (results.notify)
  details.push(
    `notify: ${results.notify.notify.settled} settled of ${results.notify.notify.requests} posted in ${results.notify.notify.duration} s (p50 ${results.notify.notify.latency.p50} ms, p99 ${results.notify.notify.latency.p99} ms); raw pg: ${results.notify.raw.settled} in ${results.notify.raw.duration.toFixed(1)} s`,
  );
if (results.json)
  details.push(
    `article JSON: p50 ${results.json.detail.latency.p50} ms, p99 ${results.json.detail.latency.p99} ms (bare: ${results.json.bare.latency.p50} / ${results.json.bare.latency.p99} ms), ${results.json.bytes} vs ${results.json.bareBytes} bytes`,
  );
if (results.ssr)
  details.push(
    `SSR: /p/${SSR_ARTICLE} ${results.ssr.pageBytes} bytes, bare ${results.ssr.bareBytes} bytes; non-2xx ${results.ssr.page.non2xx} / ${results.ssr.bare.non2xx}`,
  );
const perRequest = (label, result, count) =>
  `${label}: CPU ms per request — ${Object.entries(result.cpuMs)
    .filter(([, ms]) => ms > 0)
    .map(([name, ms]) => `${name} ${(ms / count).toFixed(2)}`)
    .join(', ')}; peak RSS ${Object.entries(result.peakMb ?? {})
    .map(([name, mb]) => `${name} ${mb} MB`)
    .join(', ')}`;
if (results.orders)
  details.push(perRequest('order creation', results.orders.orders, results.orders.orders.requests));
if (results.notify) {
  details.push(perRequest('notify', results.notify.notify, results.notify.notify.settled));
  details.push(perRequest('raw pg settlement', results.notify.raw, results.notify.raw.settled));
}
if (results.json) {
  details.push(perRequest('article JSON', results.json.detail, results.json.detail.requests));
  details.push(perRequest('bare Nest', results.json.bare, results.json.bare.requests));
}
if (results.popular) {
  details.push(
    perRequest(
      `article page with ${results.popular.tips} paid tips`,
      results.popular.page,
      results.popular.page.requests,
    ),
  );
}
if (results.ssr) {
  details.push(perRequest('article page', results.ssr.page, results.ssr.page.requests));
  details.push(
    `reads counted during the article page run: ${results.ssr.readsCounted} for ${results.ssr.page.requests} pages answered 200`,
  );
  details.push(
    perRequest('article page, logged in', results.ssr.loggedIn, results.ssr.loggedIn.requests),
  );
  details.push(perRequest('bare page', results.ssr.bare, results.ssr.bare.requests));
}
for (const detail of details) console.log(`  ${detail}`);
console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);

if (process.env.BENCH_NO_WRITE !== '1') {
  mkdirSync('docs', { recursive: true });
  writeFileSync(
    'docs/benchmarks.json',
    `${JSON.stringify(
      rows.map(({ name, value, baseline, ratio, target, unit, baseline_is, met }) => ({
        name,
        value,
        baseline,
        ratio,
        target,
        unit,
        baseline_is,
        met,
      })),
      null,
      2,
    )}\n`,
  );
  // Formatted as the repository's other Markdown (prettier --check stays clean).
  const prettier = await import('prettier');
  const text = markdown(rows, details);
  const options = (await prettier.resolveConfig('docs/BENCHMARKS.md')) ?? {};
  writeFileSync(
    'docs/BENCHMARKS.md',
    await prettier.format(text, { ...options, filepath: 'docs/BENCHMARKS.md' }),
  );
  log('wrote docs/BENCHMARKS.md and docs/benchmarks.json');
}

function markdown(rows, details) {
  const cpus = os.cpus();
  const kept = existsSync('docs/BENCHMARKS.md')
    ? /\n## What each change bought\n[\s\S]*$/.exec(readFileSync('docs/BENCHMARKS.md', 'utf8'))?.[0]
    : undefined;
  const table = [
    '| metric | value | baseline | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.value} ${row.unit} | ${
          row.baseline === null ? '—' : `${row.baseline} ${row.unit}`
        } | ${row.ratio ?? '—'} | ${row.target} | ${
          row.target === 'report' ? '' : row.met ? 'yes' : '**no**'
        } |`,
    ),
  ].join('\n');
  return `# Benchmarks

Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus.length} × ${
    cpus[0]?.model ?? 'unknown CPU'
  } (os.availableParallelism() = ${os.availableParallelism()}), ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}. API workers: ${
    process.env.API_WORKERS ?? 'default'
  }.

Reproduce: \`npm run bench\` (builds the API and the sandbox with \`nest build\` and the bench
site \`nuxt-app/bench\` with \`nuxt build\`, then runs \`node scripts/bench.mjs\`: about ${
    Math.ceil((Date.now() - started) / 60000) + 1
  } minutes with the build). Load average when the run started: ${loadAtStart}; this machine is
shared with other sessions' test suites. Each figure is a ratio against a baseline measured in the same run on the
same machine, so the ratios hold on a noisy machine where the absolute figures do not.

${table}

Each baseline:
${rows
  .filter((row) => row.baseline !== null || row.baseline_is)
  .map((row) => `- \`${row.name}\`: ${row.baseline_is}.`)
  .join('\n')}

Details of this run (CPU ms per request: the CPU time each process tree spent during the measured run
divided by its requests — \`api\` the API, \`web\` the Nuxt server, \`pg\` PostgreSQL, \`bare\` the
bare Nest app; peak RSS during that run):
${details.map((detail) => `- ${detail}`).join('\n')}

## How it is measured

- Everything runs on 127.0.0.1 in a temporary directory: embedded PostgreSQL, the Alipay
  sandbox, the API as its own process (\`node dist/apps/api/apps/api/src/main.js\`, from a
  private copy of \`dist/\` so that a concurrent build cannot change it mid-run,
  \`APP_ENV=development\` with keys generated for the run, \`RATE_LIMIT_LOGIN\` /
  \`RATE_LIMIT_ORDERS\` raised to 1000000, \`LOG_LEVEL=warn\`, \`RECONCILE_INTERVAL_SECONDS=3600\`
  so the sweeper leaves the bench's pending orders alone, and
  \`NODE_OPTIONS=--max-old-space-size=256\` as \`npm start\` and the Dockerfile run it) and the
  Nuxt server.
- PostgreSQL runs ${
    DURABLE
      ? 'durable (fsync on, as `npm start`), because BENCH_DURABLE=1 was set'
      : "with the test suites' settings (fsync and synchronous_commit off); `BENCH_DURABLE=1` runs it durable"
  }. The disk of this machine is a shared virtual disk that managed about 200 fdatasync/s
  when measured: with durable commits, every path that writes is bound by that disk and its
  neighbours, not by our code, so the default measures the code.
- The load comes from a separate process (\`scripts/bench/load.mjs\`, autocannon). Every run is
  bounded: a ${WARMUP} s warm-up, then ${DURATION} s measured. The article JSON and the article
  page run in turns with their baselines (measured, baseline, measured, baseline; ${DURATION / 2} s
  each), so a change in the load of this shared machine falls on both sides of the ratio;
  their p99 is the worse of the two turns.
- **Order creation**: \`POST /payments/alipay/\` (pay_type 0, ¥1.00, a message) at
  ${CONNECTIONS.orders} connections, rotating ${READERS} readers' tokens and the five demo
  articles, no Idempotency-Key. Baseline: the raw RSA2 signing rate of this machine on all
  cores — \`sign('RSA-SHA256')\` with an RSA-2048 key over a string as long as the page-pay sign
  content, in \`os.availableParallelism()\` worker threads, with nothing else running.
- **Notify settlement**: pending orders are inserted by SQL; one \`TRADE_SUCCESS\` notice per
  order is signed with the run's "Alipay" key in worker threads (node:crypto, as
  \`test/support/alipay-signer.ts\`), and each is POSTed once to \`/payments/alipay/result/\` at
  ${CONNECTIONS.notify} connections. Settlements/s = orders found paid afterwards / run time.
  Baseline: the same settlement sent straight through \`pg\` by ${CONNECTIONS.notify} clients to
  the same database — BEGIN; lock the order row (\`SELECT … FOR UPDATE\`); update the order;
  credit the author (\`money = money + $1\`); bump \`reward_count\`; insert the two ledger
  rows; upsert the notification row; COMMIT — on its own set of pending orders.
- **Article JSON**: \`GET /article/detail/1/\` at ${CONNECTIONS.json} connections against a bare
  Nest 12 app (\`scripts/bench/bare-nest.mjs\`: Express, one controller, no middleware, no
  database) answering the same JSON object, run as its own process like the API.
- **Article page**: \`GET /p/1\` (logged out) at ${CONNECTIONS.ssr} connections against
  \`/__bench/bare?bytes=N\`, a page of the same Nuxt server with no layout and no data, padded
  with static text to the same HTML size. The server is \`nuxt-app/bench\`: a Nuxt app that
  extends the site as a layer and adds only that page (\`nuxt-app/bench/app/pages/__bench/\`),
  built into \`nuxt-app/bench/.output\` by \`npm run bench\`. So the product's build
  (\`nuxt-app/.output\`, \`npm start\`, CI, Docker) never ships the page, a bench run never
  collides with someone else's build of the site, and the article page's code is the site's
  own. A bare page of the same server is the fairest baseline: it pays the same Nitro, Vue SSR
  and plugin costs. A logged-out reader is served the page rendered for the previous one if
  that was under a second ago (\`nuxt-app/server/plugins/anonymous-page-cache.ts\`), and
  every copy served costs a \`POST /article/1/read\` to the API so that the view is counted:
  the reads counted during the run are reported beside the pages served, below (the bench
  warns when they differ by more than the requests that can be in flight). The same
  page for a logged-in reader (session cookie: always rendered, four API calls) is reported
  beside it as \`article_ssr_rps_logged_in\`.
- **Memory**: the resident set of the API (summed over its processes when it runs several) and
  of the Nuxt server, sampled every 200 ms from \`/proc/<pid>/status\` during all the load;
  the peak is reported.
${kept ?? '\n## What each change bought\n\n(not written yet)\n'}`;
}
