import { DataSource } from 'typeorm';
import { Foundation1764115200000 } from '../../apps/api/src/database/migrations/1764115200000-foundation.js';
import { Payments1764201600000 } from '../../apps/api/src/database/migrations/1764201600000-payments.js';
import { typeOrmOptions } from '../../apps/api/src/database/typeorm-options.js';
import { LedgerVerificationService } from '../../apps/api/src/ledger/ledger-verification.service.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The migrations that add typed ledger references and delivery times fill them for rows
 * written before them: a database holding the old shape's rows is migrated, and the rows
 * read as if they had been written by today's code.
 */
describe('migrating existing ledger entries and notifications', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const ids = { author: 0, reader: 0, paid: 0, balanceRefunded: 0, retried: 0, f2: 0, f3: 0 };

  beforeAll(async () => {
    db = await createEmptyDatabase();
    const before = await new DataSource({
      ...typeOrmOptions(db.url, 2),
      migrations: [Foundation1764115200000, Payments1764201600000],
    }).initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      await writeOldRows(before);
    } finally {
      await before.destroy();
    }
    dataSource = await new DataSource(typeOrmOptions(db.url, 2)).initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(
      expect.arrayContaining([
        'LedgerReferences1764806500000',
        'NotificationDeliveries1764806600000',
      ]),
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** What the code before these migrations wrote: two users, orders, refunds, notices. */
  async function writeOldRows(ds: DataSource) {
    const [author] = await ds.query<{ id: number }[]>(
      `INSERT INTO users (username, password_hash, money) VALUES ('old_author', 'x', 500) RETURNING id`,
    );
    const [reader] = await ds.query<{ id: number }[]>(
      `INSERT INTO users (username, password_hash, money) VALUES ('old_reader', 'x', 1000) RETURNING id`,
    );
    ids.author = author.id;
    ids.reader = reader.id;
    const [article] = await ds.query<{ id: number }[]>(
      `INSERT INTO articles (name, content, render, user_id) VALUES ('a', 'a', 'a', $1) RETURNING id`,
      [author.id],
    );
    const reward = async (tradeNo: string, money: number, payType: number, status: number) =>
      (
        await ds.query<{ id: number }[]>(
          `INSERT INTO rewards (trade_no, user_id, article_id, author_id, money, pay_type, status, time_expire)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
          [tradeNo, reader.id, article.id, author.id, money, payType, status],
        )
      )[0].id;
    ids.paid = await reward('T1', 500, 0, 1);
    ids.balanceRefunded = await reward('T2', 300, 1, 4);
    ids.retried = await reward('T3', 700, 0, 4);
    await reward('T4', 100, 0, 0);
    const refund = async (rewardId: number, attempt: number) =>
      (
        await ds.query<{ id: number }[]>(
          `INSERT INTO refunds (reward_id, out_request_no, amount, status, attempt, requested_by)
           SELECT id, 'R' || trade_no, money, 'succeeded', $2, $3 FROM rewards WHERE id = $1
           RETURNING id`,
          [rewardId, attempt, author.id],
        )
      )[0].id;
    ids.f2 = await refund(ids.balanceRefunded, 1);
    ids.f3 = await refund(ids.retried, 2);

    const legs: [string, string, number | null, number][] = [
      [`grant:demo:${reader.id}`, 'grants', null, -1000],
      [`grant:demo:${reader.id}`, 'user', reader.id, 1000],
      [`reward:${ids.paid}:settle`, 'alipay', null, -500],
      [`reward:${ids.paid}:settle`, 'user', author.id, 500],
      [`reward:${ids.balanceRefunded}:settle`, 'user', reader.id, -300],
      [`reward:${ids.balanceRefunded}:settle`, 'user', author.id, 300],
      [`refund:${ids.f2}:1:reserve`, 'user', author.id, -300],
      [`refund:${ids.f2}:1:reserve`, 'user', reader.id, 300],
      [`reward:${ids.retried}:settle`, 'alipay', null, -700],
      [`reward:${ids.retried}:settle`, 'user', author.id, 700],
      [`refund:${ids.f3}:1:reserve`, 'user', author.id, -700],
      [`refund:${ids.f3}:1:reserve`, 'alipay', null, 700],
      [`refund:${ids.f3}:1:reverse`, 'user', author.id, 700],
      [`refund:${ids.f3}:1:reverse`, 'alipay', null, -700],
      [`refund:${ids.f3}:2:reserve`, 'user', author.id, -700],
      [`refund:${ids.f3}:2:reserve`, 'alipay', null, 700],
      // Names an order that does not exist: it must stay unreferenced, not be made up.
      ['reward:999999:settle', 'alipay', null, -1],
      ['reward:999999:settle', 'grants', null, 1],
    ];
    const kindOf = (movement: string) =>
      movement.startsWith('grant')
        ? 'grant'
        : movement.endsWith('reverse')
          ? 'refund_reversal'
          : movement.startsWith('refund')
            ? 'refund'
            : 'reward';
    for (const [i, [movement, account, userId, amount]] of legs.entries()) {
      await ds.query(
        `INSERT INTO ledger_entries (entry_key, movement, kind, account, user_id, amount)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [`${movement}:${i}`, movement, kindOf(movement), account, userId, amount],
      );
    }
    await ds.query(
      `INSERT INTO alipay_notifications (notify_id, out_trade_no, payload, outcome, deliveries, created_time, updated_time)
       VALUES ('once', 'T1', '{}', 'settled', 1, '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z'),
              ('thrice', 'T3', '{}', 'settled', 3, '2026-11-02T10:00:00Z', '2026-11-02T11:30:00Z')`,
    );
  }

  it('references each old movement to its order and refund, from its name', async () => {
    const rows = await dataSource.query<
      { movement: string; reward_id: number | null; refund_id: number | null }[]
    >(
      `SELECT DISTINCT movement, reward_id, refund_id, withdrawal_id FROM ledger_entries ORDER BY movement`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          movement: `grant:demo:${ids.reader}`,
          reward_id: null,
          refund_id: null,
          withdrawal_id: null,
        },
        {
          movement: `reward:${ids.paid}:settle`,
          reward_id: ids.paid,
          refund_id: null,
          withdrawal_id: null,
        },
        {
          movement: `refund:${ids.f2}:1:reserve`,
          reward_id: ids.balanceRefunded,
          refund_id: ids.f2,
          withdrawal_id: null,
        },
        {
          movement: `refund:${ids.f3}:1:reverse`,
          reward_id: ids.retried,
          refund_id: ids.f3,
          withdrawal_id: null,
        },
        {
          movement: `refund:${ids.f3}:2:reserve`,
          reward_id: ids.retried,
          refund_id: ids.f3,
          withdrawal_id: null,
        },
        { movement: 'reward:999999:settle', reward_id: null, refund_id: null, withdrawal_id: null },
      ]),
    );
    // Every leg of a movement got the same references.
    expect(new Set(rows.map((row) => row.movement)).size).toBe(rows.length);
  });

  it('gives each old user leg the balance its user had right after it', async () => {
    const balances = async (userId: number) =>
      (
        await dataSource.query<{ balance_after: string }[]>(
          'SELECT balance_after FROM ledger_entries WHERE user_id = $1 ORDER BY id',
          [userId],
        )
      ).map((row) => Number(row.balance_after));
    expect(await balances(ids.author)).toEqual([500, 800, 500, 1200, 500, 1200, 500]);
    expect(await balances(ids.reader)).toEqual([1000, 700, 1000]);
    const [{ external }] = await dataSource.query<{ external: number }[]>(
      `SELECT count(*)::int AS external FROM ledger_entries
        WHERE account <> 'user' AND balance_after IS NOT NULL`,
    );
    expect(external).toBe(0);
  });

  it('passes ledger verify, except the movement that names a missing order', async () => {
    const verified = await new LedgerVerificationService(dataSource).verify();
    expect(verified.mismatches).toEqual([
      {
        kind: 'orphan_movement',
        subject: 'reward:999999:settle',
        expected: 'the order, refund or withdrawal it moves money for',
        actual: 'no reference',
      },
    ]);
    expect(verified.orders_checked).toBe(4);
  });

  it('keeps the known delivery times of old notifications', async () => {
    const rows = await dataSource.query<{ notify_id: string; delivered_at: Date[] }[]>(
      'SELECT notify_id, delivered_at FROM alipay_notifications ORDER BY notify_id',
    );
    expect(
      rows.map((row) => [row.notify_id, row.delivered_at.map((t) => t.toISOString())]),
    ).toEqual([
      ['once', ['2026-11-01T10:00:00.000Z']],
      ['thrice', ['2026-11-02T10:00:00.000Z', '2026-11-02T11:30:00.000Z']],
    ]);
  });
});
