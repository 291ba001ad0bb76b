#!/usr/bin/env node
// `npm start`: builds what changed, then runs the whole system on this machine — embedded
// PostgreSQL (unless DATABASE_URL is set), the local Alipay sandbox, the API and the Nuxt
// site — and prints the URLs to open. Ctrl-C stops everything cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const env = { ...process.env };
const apiPort = Number(env.API_PORT ?? 8000);
const webPort = Number(env.WEB_PORT ?? 8080);
const sandboxPort = Number(env.SANDBOX_PORT ?? 8010);
const hasSandbox = existsSync('apps/alipay-sandbox/src/main.ts');
const hasSite = existsSync('nuxt-app/nuxt.config.ts');

function step(label, command, args) {
  console.log(`» ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

step('building the API', 'npx', ['nest', 'build', 'api']);
if (hasSandbox) step('building the Alipay sandbox', 'npx', ['nest', 'build', 'alipay-sandbox']);
if (hasSite) step('building the site (Nuxt)', 'npm', ['run', 'build', '--workspace', 'nuxt-app']);

const dist = (path) => join(root, 'dist/apps/api', path);
const { ensureDevKeys, resolveAppEnv, DEV_KEYS_DIR, loadConfig } = await import(
  dist('libs/config/src/index.js')
);
// The same validation the API runs, here for the addresses each child listens on: API_HOST,
// WEB_HOST and SANDBOX_HOST are loopback in development and 0.0.0.0 in production.
let hosts;
try {
  const config = loadConfig(env);
  hosts = { api: config.apiHost, web: config.webHost, sandbox: config.sandboxHost };
} catch (error) {
  console.error(`✖ ${error.message}`);
  process.exit(1);
}
/** Where this script reaches a child: a wildcard address through loopback. */
const reach = (host) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
const { startEmbeddedPostgres, DEV_DATA_DIR, DEV_EMBEDDED_PORT } = await import(
  dist('libs/database/src/index.js')
);
const { DEMO_ACCOUNTS } = await import(dist('apps/api/src/database/seeds/demo-accounts.js'));

let appEnv;
try {
  appEnv = resolveAppEnv(env);
  if (appEnv === 'development') {
    const { created } = ensureDevKeys(DEV_KEYS_DIR);
    if (created) console.log(`» generated development RSA keys and certificates in ${DEV_KEYS_DIR}/`);
  }
} catch (error) {
  console.error(`✖ ${error.message}`);
  process.exit(1);
}

let database;
if (!env.DATABASE_URL) {
  console.log(`» starting embedded PostgreSQL (${DEV_DATA_DIR}, port ${DEV_EMBEDDED_PORT})`);
  try {
    database = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port: DEV_EMBEDDED_PORT });
  } catch (error) {
    console.error(`✖ ${error.message}`);
    process.exit(1);
  }
  // Not DATABASE_URL: the API must know this one is the embedded database, the only one that
  // gets development defaults and demo data.
  env.EMBEDDED_DATABASE_URL = database.url;
}

const children = [];
let stopping = false;

function run(name, args, childEnv) {
  // Each child gets its own port variable and never an inherited PORT meant for another.
  const { PORT: _ignored, ...base } = env;
  const child = spawn(process.execPath, args, {
    env: { ...base, ...childEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}] `;
  const relay = (stream, out) => {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) out.write(prefix + line + '\n');
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`✖ ${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url, name, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`✖ ${name} did not come up at ${url} within ${timeoutMs / 1000}s`);
  await shutdown(1);
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('» stopping…');
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map(
        (child) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
  );
  await database?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

if (hasSandbox) {
  run('sandbox', ['dist/apps/alipay-sandbox/apps/alipay-sandbox/src/main.js'], {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_HOST: hosts.sandbox,
  });
  await waitFor(
    `http://${reach(hosts.sandbox)}:${sandboxPort}/sandbox/trades`,
    'the Alipay sandbox',
  );
}

run('api', ['dist/apps/api/apps/api/src/main.js'], {
  API_PORT: String(apiPort),
  API_HOST: hosts.api,
  TZ: 'Asia/Shanghai',
  // As the Dockerfile: a heap cap makes V8 collect early (live heap ~50 MB; uncapped it grows
  // to ~300 MB under load, docs/BENCHMARKS.md). NODE_OPTIONS set by the caller wins.
  NODE_OPTIONS: env.NODE_OPTIONS ?? '--max-old-space-size=256',
});
await waitFor(`http://${reach(hosts.api)}:${apiPort}/health`, 'the API');

if (hasSite) {
  run('web', ['nuxt-app/.output/server/index.mjs'], {
    PORT: String(webPort),
    HOST: hosts.web,
    NUXT_API_BASE: env.NUXT_API_BASE ?? `http://${reach(hosts.api)}:${apiPort}`,
    // As for the API: uncapped, the site's heap grew to ~700 MB of garbage under load
    // (docs/BENCHMARKS.md) at no gain in speed.
    NODE_OPTIONS: env.NODE_OPTIONS ?? '--max-old-space-size=256',
  });
  await waitFor(`http://${reach(hosts.web)}:${webPort}/`, 'the site');
}

if (!stopping) {
  const line = '─'.repeat(64);
  console.log(`\n${line}\nRenran Reward is running\n`);
  if (hasSite) console.log(`  Site (open this)      http://${reach(hosts.web)}:${webPort}/`);
  console.log(
    `  API                   http://${reach(hosts.api)}:${apiPort}/   (docs: /docs, health: /health)`,
  );
  console.log(`  First demo article    http://${reach(hosts.api)}:${apiPort}/article/detail/1/`);
  if (hasSandbox)
    console.log(
      `  Alipay sandbox        http://${reach(hosts.sandbox)}:${sandboxPort}/sandbox/trades`,
    );
  console.log(`  PostgreSQL            ${database ? `embedded, ${DEV_DATA_DIR}` : 'DATABASE_URL'}`);
  if (appEnv === 'development' && database) {
    console.log('\n  Demo accounts (development on the embedded database only):');
    for (const [role, account] of Object.entries(DEMO_ACCOUNTS)) {
      console.log(
        `    ${role.padEnd(7)} ${account.username.padEnd(12)} password ${account.password}`,
      );
    }
  }
  if (hasSite && hasSandbox) {
    const article = `http://127.0.0.1:${webPort}/p/1`;
    console.log(
      '\n  Try each Alipay channel (log in as the demo reader, open an article, 赞赏支持):',
    );
    console.log(`    电脑网站支付 (page)  desktop browser: ${article} → 支付宝 → 电脑网站支付`);
    console.log(`    扫码支付 (qr)        desktop browser: ${article} → 支付宝 → 扫码支付;`);
    console.log(
      "                         open the code's URL (or scan it) to play the phone, 确认付款",
    );
    console.log(
      `    手机网站支付 (wap)   a phone, or DevTools device mode (390×844): ${article} → 支付宝`,
    );
    console.log(
      `    any channel, by hand: POST http://127.0.0.1:${sandboxPort}/sandbox/trades/<trade_no>/pay`,
    );
  }
  console.log(`\nCtrl-C stops everything.\n${line}`);
}
