import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { signAsAlipay } from '../../support/alipay-signer.js';
import { call, inParallel, registerAndLogin, type Account } from './http.js';
import { APP_ID, SELLER_ID, type ManagedProcess, type ReliabilitySystem } from './processes.js';

export interface ReportRow {
  case: string;
  injected: string;
  requests: number;
  result: string;
}

/** One case's own database, API instance(s), accounts and article. */
export class World {
  author!: Account;
  reader!: Account;
  staff!: Account;
  articleId!: number;
  requests = 0;

  constructor(
    readonly system: ReliabilitySystem,
    readonly databaseName: string,
    readonly apis: ManagedProcess[],
  ) {}

  static async create(
    system: ReliabilitySystem,
    name: string,
    options: { instances?: number; env?: Record<string, string> } = {},
  ): Promise<World> {
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .slice(0, 30);
    const databaseName = `rel_${slug}_${randomBytes(3).toString('hex')}`;
    const url = await system.createDatabase(databaseName);
    const first = await system.startApi(url, options.env);
    const apis = [first];
    for (let i = 1; i < (options.instances ?? 1); i++)
      apis.push(await system.startApi(url, options.env));
    const world = new World(system, databaseName, apis);
    const base = first.url;
    world.author = await registerAndLogin(base, 'author');
    world.reader = await registerAndLogin(base, 'reader');
    world.staff = await registerAndLogin(base, 'staff');
    await world.sql('UPDATE users SET is_staff = true WHERE id = $1', [world.staff.id]);
    const article = await call(base, 'POST', '/article/', {
      token: world.author.token,
      json: { name: '轻微抑郁的人，会说这3句口头禅', content: '照顾好自己的情绪。' },
    });
    world.articleId = article.body.id as number;
    world.requests += 6;
    return world;
  }

  get api(): ManagedProcess {
    return this.apis[0];
  }

  get sandboxUrl(): string {
    return this.system.sandbox.url;
  }

  private pool: pg.Pool | undefined;

  /** SQL on this world's database over a small pool (new connections cost a SCRAM handshake). */
  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pool) {
      this.pool = new pg.Pool({
        connectionString: this.system.databaseUrl(this.databaseName),
        max: 2,
      });
      // Idle connections die when a case stops PostgreSQL on purpose; the pool replaces them.
      this.pool.on('error', () => undefined);
    }
    return (await this.pool.query(text, params)).rows as T[];
  }

  async createOrders(
    count: number,
    money: string,
    payer = this.reader,
  ): Promise<{ trade_no: string; pay_url: string }[]> {
    return inParallel(Array.from({ length: count }), 6, async () => {
      this.requests += 1;
      const created = await call(this.api.url, 'POST', '/payments/alipay/', {
        token: payer.token,
        json: { article_id: this.articleId, pay_type: 0, money },
      });
      if (created.status !== 201) throw new Error(`order: ${created.status} ${created.text}`);
      return created.body as { trade_no: string; pay_url: string };
    });
  }

  /** Opens each cashier (the trade then exists at the sandbox) and pays it as the buyer. */
  async openAndPay(orders: { trade_no: string; pay_url: string }[], width = 8): Promise<void> {
    await inParallel(orders, width, async (order) => {
      await fetch(order.pay_url).then((response) => response.text());
      await this.sandbox('POST', `/sandbox/trades/${order.trade_no}/pay`);
    });
  }

  /**
   * Pays already opened trades as the buyer. A call that fails on the way (a keep-alive
   * socket closed under load) is tried again; "already paid" then means the first one went
   * through, so nothing is paid twice.
   */
  async pay(orders: { trade_no: string }[], width = 8): Promise<void> {
    await inParallel(orders, width, async (order) => {
      const path = `/sandbox/trades/${order.trade_no}/pay`;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.sandbox('POST', path);
          return;
        } catch (error) {
          const message = (error as Error).message;
          if (message.includes('ACQ.TRADE_HAS_SUCCESS') && attempt > 1) return;
          if (attempt >= 3) throw error;
        }
      }
    });
  }

  async open(orders: { pay_url: string }[]): Promise<void> {
    await inParallel(orders, 8, (order) =>
      fetch(order.pay_url).then((response) => response.text()),
    );
  }

  async sandbox<T = any>(method: string, path: string, json?: unknown): Promise<T> {
    const reply = await call<T>(this.sandboxUrl, method, path, { json });
    if (reply.status >= 400)
      throw new Error(`sandbox ${method} ${path}: ${reply.status} ${reply.text}`);
    return reply.body;
  }

  notice(fields: Record<string, string>): Record<string, string> {
    return signAsAlipay(
      {
        notify_time: '2026-11-26 10:00:00',
        notify_type: 'trade_status_sync',
        notify_id: `rel${randomBytes(8).toString('hex')}`,
        app_id: APP_ID,
        auth_app_id: APP_ID,
        charset: 'utf-8',
        version: '1.0',
        seller_id: SELLER_ID,
        trade_no: `2026112622001488${randomBytes(6).toString('hex')}`,
        buyer_id: '2088102177846880',
        trade_status: 'TRADE_SUCCESS',
        gmt_payment: '2026-11-26 10:00:00',
        ...fields,
      },
      this.system.keys.alipayPrivateKey,
    );
  }

  async statuses(tradeNos: string[]): Promise<Record<number, number>> {
    const rows = await this.sql<{ status: number; n: number }>(
      'SELECT status, count(*)::int AS n FROM rewards WHERE trade_no = ANY($1) GROUP BY status',
      [tradeNos],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  async until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await check()) return Date.now() - started;
      await new Promise((done) => setTimeout(done, 200));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }

  /** The invariant after every case: balances equal entries; all balances equal external net in. */
  async ledgerVerified(): Promise<{ ok: boolean; users_checked: number; mismatches: unknown[] }> {
    this.requests += 1;
    const reply = await call(this.api.url, 'GET', '/admin/ledger/verify', {
      token: this.staff.token,
    });
    if (reply.status !== 200) throw new Error(`ledger verify: ${reply.status} ${reply.text}`);
    return reply.body as { ok: boolean; users_checked: number; mismatches: unknown[] };
  }

  async close(): Promise<void> {
    await this.pool?.end();
    await Promise.all(this.apis.map((api) => api.stop()));
  }
}

export function printReport(title: string, rows: ReportRow[]): void {
  const columns: (keyof ReportRow)[] = ['case', 'injected', 'requests', 'result'];
  const width = (column: keyof ReportRow) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(width(columns[i]))).join(' | ')} |`;
  const table = [
    line(columns),
    `|${columns.map((column) => '-'.repeat(width(column) + 2)).join('|')}|`,
    ...rows.map((row) => line(columns.map((column) => String(row[column])))),
  ].join('\n');
  process.stdout.write(`\n${title}\n${table}\n\n`);
}
