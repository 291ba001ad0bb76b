import { startEmbeddedPostgres, findFreePort, type EmbeddedDatabase } from '@renran/database';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { generateTestKeys, keyModeEnv, type TestKeys } from '../../support/alipay-keys.js';

export const APP_ID = '2021000000000888';
export const SELLER_ID = '2088000000000888';
// Jest runs from the project root (npm test).
const ROOT = resolve(process.cwd());
const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
const SANDBOX_MAIN = join(ROOT, 'dist/apps/alipay-sandbox/apps/alipay-sandbox/src/main.js');

/** A child process of ours, its output kept in a log file for when a case fails. */
export class ManagedProcess {
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
    readonly logFile: string,
  ) {}

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no shutdown hooks, no goodbye. */
  async crash(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function waitForHttp(url: string, timeoutMs: number, process: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.alive)
      throw new Error(`${process.name} exited during start-up; see ${process.logFile}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(
    `${process.name} did not answer ${url} within ${timeoutMs} ms; see ${process.logFile}`,
  );
}

/**
 * PostgreSQL, the sandbox and API instances as real processes on 127.0.0.1, each of which a
 * case may crash, stop or restart.
 */
export class ReliabilitySystem {
  readonly keys: TestKeys = generateTestKeys();
  readonly workDir = mkdtempSync(join(tmpdir(), 'renran-reliability-'));
  private pgPort = 0;
  private database: EmbeddedDatabase | undefined;
  sandbox!: ManagedProcess;
  private readonly processes: ManagedProcess[] = [];

  async start(): Promise<void> {
    this.pgPort = await findFreePort();
    await this.startPostgres();
    this.sandbox = await this.startSandbox();
  }

  async startPostgres(): Promise<void> {
    this.database = await startEmbeddedPostgres({
      dataDir: join(this.workDir, 'pg'),
      port: this.pgPort,
      ephemeral: true,
    });
  }

  async stopPostgres(): Promise<void> {
    await this.database?.stop();
    this.database = undefined;
  }

  databaseUrl(name: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.pgPort}/${name}`;
  }

  async createDatabase(name: string): Promise<string> {
    await this.admin((client) => client.query(`CREATE DATABASE ${name}`));
    return this.databaseUrl(name);
  }

  async admin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
    const client = new pg.Client({ connectionString: this.databaseUrl(database) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async startSandbox(): Promise<ManagedProcess> {
    const port = await findFreePort();
    const sandbox = this.spawn('sandbox', SANDBOX_MAIN, port, {
      SANDBOX_PORT: String(port),
      SANDBOX_APP_ID: APP_ID,
      SANDBOX_SELLER_ID: SELLER_ID,
      SANDBOX_APP_PUBLIC_KEY_PATH: this.keys.appPublicKeyPath,
      SANDBOX_ALIPAY_PRIVATE_KEY_PATH: this.keys.alipayPrivateKeyPath,
      SANDBOX_APP_CERT_PATH: this.keys.appCertPath,
      SANDBOX_ALIPAY_CERT_PATH: this.keys.alipayCertPath,
      SANDBOX_ROOT_CERT_PATH: this.keys.rootCertPath,
      SANDBOX_STATE_DIR: join(this.workDir, 'sandbox'),
      SANDBOX_NOTIFY_TIME_SCALE: '960',
      SANDBOX_OPEN_API_TIMEOUT_MS: '8000',
    });
    await waitForHttp(`${sandbox.url}/sandbox/faults`, 30_000, sandbox);
    return sandbox;
  }

  /** An API instance on `databaseUrl`; `port` to come back on the same address after a crash. */
  async startApi(
    databaseUrl: string,
    env: Record<string, string> = {},
    port?: number,
  ): Promise<ManagedProcess> {
    const apiPort = port ?? (await findFreePort());
    const api = this.spawn('api', API_MAIN, apiPort, {
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      API_PORT: String(apiPort),
      JWT_SECRET: 'reliability-suite-secret-0123456789abcdef',
      ALIPAY_APP_ID: APP_ID,
      ALIPAY_SELLER_ID: SELLER_ID,
      ALIPAY_GATEWAY: `${this.sandbox.url}/gateway.do`,
      ALIPAY_APP_PRIVATE_KEY_PATH: this.keys.appPrivateKeyPath,
      ...keyModeEnv(this.keys, 'certificate'),
      ALIPAY_NOTIFY_URL: `http://127.0.0.1:${apiPort}/payments/alipay/result/`,
      ALIPAY_RETURN_URL: 'http://127.0.0.1:9/wallet',
      RATE_LIMIT_LOGIN: '100000',
      RATE_LIMIT_LOGIN_ACCOUNT: '100000',
      RATE_LIMIT_REGISTER: '100000',
      RATE_LIMIT_ORDERS: '100000',
      RECONCILE_INTERVAL_SECONDS: '3600',
      ...env,
    });
    await waitForHttp(`${api.url}/health`, 60_000, api);
    return api;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop()));
    await this.stopPostgres();
  }

  private spawn(
    name: string,
    main: string,
    port: number,
    env: Record<string, string>,
  ): ManagedProcess {
    const logFile = join(this.workDir, `${name}-${port}-${Date.now()}.log`);
    const log = createWriteStream(logFile);
    const { PORT: _port, DATABASE_URL: _db, ...inherited } = process.env;
    const child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const managed = new ManagedProcess(name, child, `http://127.0.0.1:${port}`, port, logFile);
    this.processes.push(managed);
    return managed;
  }
}
