import type { INestApplication } from '@nestjs/common';
import { ensureDevKeys, loadConfig } from '@renran/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { DataSource as TypeOrmDataSource } from 'typeorm';
import {
  startSandbox,
  type RunningSandbox,
} from '../../../apps/alipay-sandbox/src/start-sandbox.js';
import { createApiApp } from '../../../apps/api/src/create-app.js';
import { AfterCommitEvents } from '../../../apps/api/src/common/persistence/after-commit-events.js';
import { LedgerService } from '../../../apps/api/src/ledger/ledger.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ensureSiteBuilt, REPO_ROOT, SITE_ENTRY } from './site-build.js';

const APP_ID = '2021000000000555';
const SELLER_ID = '2088000000000555';
const PASSWORD = 'browser-test-pass';

export interface SiteUser {
  id: number;
  username: string;
  password: string;
  nickname: string;
  token: string;
}

export interface RunningSystem {
  siteUrl: string;
  apiUrl: string;
  sandboxUrl: string;
  dataSource: DataSource;
  /** Registers and logs in a user straight at the API. */
  createUser(nickname: string): Promise<SiteUser>;
  /** Credits a balance through the ledger (double entry, as an admin grant would). */
  grant(userId: number, fen: number): Promise<void>;
  createArticle(author: SiteUser, name: string, content: string): Promise<number>;
  /** JSON call straight at the API. */
  api<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** What the site's server printed (for failure messages). */
  siteLog(): string;
  /** The site server's process id (to read its memory use). */
  sitePid: number;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, site: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (site.exitCode !== null) throw new Error(`the site exited with code ${site.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The whole system on free ports of 127.0.0.1: a migrated database of its own on the Jest
 * global cluster, the Alipay sandbox and the API in this process (keys made for this run),
 * and the built site as a child process pointed at the API.
 */
export async function startSystem(
  options: { siteEnv?: Record<string, string> } = {},
): Promise<RunningSystem> {
  // Alipay's timestamps are Beijing time and alipay-sdk writes local time: pin the zone as
  // the API's main.ts does.
  process.env.TZ = 'Asia/Shanghai';
  await ensureSiteBuilt();
  const workDir = mkdtempSync(join(tmpdir(), 'renran-browser-'));
  // Fresh pairs for this run, made as `npm start` makes its own.
  const { paths: keys } = ensureDevKeys(workDir);
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(workDir, { recursive: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve(cleanup()).catch((error: unknown) => {
        console.error(`browser harness cleanup failed: ${String(error)}`);
      });
    }
  };

  try {
    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());

    const sandbox: RunningSandbox = await startSandbox({
      port: 0,
      appId: APP_ID,
      sellerId: SELLER_ID,
      appPublicKeyPath: keys.appPublicKey,
      alipayPrivateKeyPath: keys.alipayPrivateKey,
      appCertPath: keys.appCert,
      alipayCertPath: keys.alipayCert,
      rootCertPath: keys.alipayRootCert,
      stateDir: join(workDir, 'sandbox-state'),
      notifyTimeScale: 240,
      logger: false,
    });
    cleanups.push(() => sandbox.close());

    const [apiPort, sitePort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    const config = loadConfig({
      APP_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      API_PORT: String(apiPort),
      WEB_PORT: String(sitePort),
      RATE_LIMIT_LOGIN: '1000',
      RATE_LIMIT_LOGIN_ACCOUNT: '1000',
      RATE_LIMIT_REGISTER: '1000',
      RATE_LIMIT_ORDERS: '1000',
      ALIPAY_APP_ID: APP_ID,
      ALIPAY_SELLER_ID: SELLER_ID,
      ALIPAY_APP_PRIVATE_KEY_PATH: keys.appPrivateKey,
      ALIPAY_APP_CERT_PATH: keys.appCert,
      ALIPAY_PUBLIC_CERT_PATH: keys.alipayCert,
      ALIPAY_ROOT_CERT_PATH: keys.alipayRootCert,
      ALIPAY_GATEWAY: sandbox.gatewayUrl,
      ALIPAY_NOTIFY_URL: `${apiUrl}/payments/alipay/result/`,
      ALIPAY_RETURN_URL: `${siteUrl}/wallet`,
    });
    const api: INestApplication = await createApiApp(config, db.url);
    cleanups.push(() => api.close());
    await api.listen(apiPort, '127.0.0.1');
    const dataSource = api.get(TypeOrmDataSource);

    const output: string[] = [];
    const site = spawn(process.execPath, [SITE_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(sitePort),
        HOST: '127.0.0.1',
        NUXT_API_BASE: apiUrl,
        ...options.siteEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(chunk.toString());
    site.stdout?.on('data', keep);
    site.stderr?.on('data', keep);
    cleanups.push(() => stopChild(site));
    await waitForHttp(`${siteUrl}/api/session/me`, 30_000, site);

    const api_ = async <T>(
      method: string,
      path: string,
      options: { token?: string; body?: unknown } = {},
    ): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    };

    return {
      siteUrl,
      apiUrl,
      sandboxUrl: sandbox.url,
      dataSource,
      api: api_,
      async createUser(nickname) {
        const username = `u${randomBytes(5).toString('hex')}`;
        const registered = await api_<{ id: number }>('POST', '/users/register', {
          body: { username, password: PASSWORD, nickname },
        });
        if (registered.status !== 201) {
          throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
        }
        const login = await api_<{ token: string }>('POST', '/users/login', {
          body: { username, password: PASSWORD },
        });
        return {
          id: registered.body.id,
          username,
          password: PASSWORD,
          nickname,
          token: login.body.token,
        };
      },
      async grant(userId, fen) {
        const ledger = api.get(LedgerService);
        await api.get(AfterCommitEvents).transaction((manager) =>
          ledger.post(manager, {
            movement: `grant:browser-test:${randomBytes(6).toString('hex')}`,
            kind: 'grant',
            legs: [
              { account: 'grants', amount: -fen, role: 'grants' },
              { account: 'user', userId, amount: fen, role: 'user' },
            ],
          }),
        );
      },
      async createArticle(author, name, content) {
        const created = await api_<{ id: number }>('POST', '/article/', {
          token: author.token,
          body: { name, content },
        });
        if (created.status !== 201) {
          throw new Error(`article not created: ${JSON.stringify(created.body)}`);
        }
        return created.body.id;
      },
      siteLog: () => output.join(''),
      sitePid: site.pid ?? 0,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
