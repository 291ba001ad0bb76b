import path from 'node:path';
import {
  apiSourceFiles,
  findTableWrites,
  sqlWrites,
  violations,
  type Ownership,
  type TableWrite,
} from './table-writes.js';

const root = path.resolve(import.meta.dirname, '../..');
const srcRoot = path.join(root, 'apps/api/src');

/** The owner map, from the one file that holds it (and the module arrows). */
async function ownership(): Promise<Ownership> {
  const configPath = '../../architecture.config.js';
  const config = (await import(configPath)) as {
    TABLE_OWNERS: Record<string, string>;
    COLUMN_OWNERS: Record<string, string>;
  };
  return { tables: config.TABLE_OWNERS, columns: config.COLUMN_OWNERS };
}

/** Writes a module may not make, placed in memory in the modules named by their paths. */
const deliberateViolations: Record<string, string> = {
  [path.join(srcRoot, 'articles/violation-sql.ts')]: `
    import type { EntityManager } from 'typeorm';
    export async function refundFromArticles(manager: EntityManager, id: number) {
      await manager.query('UPDATE rewards SET status = 4, updated_time = now() WHERE id = $1', [id]);
      await manager.query('UPDATE users SET money = 0 WHERE id = $1', [id]);
    }`,
  [path.join(srcRoot, 'payments/violation-typeorm.ts')]: `
    import type { EntityManager, Repository } from 'typeorm';
    import { ArticleEntity } from '../articles/entities/article.entity.js';
    export async function countFromPayments(manager: EntityManager, articles: Repository<ArticleEntity>) {
      await manager.increment(ArticleEntity, { id: 1 }, 'rewardCount', 1);
      await articles.save(articles.create({ name: 'x' }));
    }`,
  [path.join(srcRoot, 'users/violation-money.ts')]: `
    export const topUp = \`UPDATE users SET money = money + $1, nickname = $2 WHERE id = $3\`;`,
};

describe('each table is written by its owning module alone (architecture.config.js)', () => {
  let writes: TableWrite[];
  let owners: Ownership;

  beforeAll(async () => {
    owners = await ownership();
    writes = findTableWrites(srcRoot, apiSourceFiles(srcRoot), deliberateViolations);
  }, 120_000); // type-checks the whole API: ~10 s, longer on busy cores

  const inRealSource = () => writes.filter((write) => !write.where.includes('violation-'));

  it('finds the writes it is meant to police (the scan sees SQL and TypeORM writes)', () => {
    const seen = inRealSource().map((write) => `${write.module}: ${write.how}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'ledger: UPDATE users SET money, updated_time',
        'ledger: TypeORM insert of LedgerEntryEntity',
        'articles: UPDATE articles SET reward_count',
        'articles: INSERT INTO article_likes',
        'payments: UPDATE rewards SET status, platform_trade_no, paid_at, next_check_at, updated_time',
        'payments: TypeORM save of RefundEntity',
        'users: TypeORM save of UserEntity',
      ]),
    );
  });

  it('no module of the API writes a table (or column) another module owns', () => {
    expect(violations(inRealSource(), owners)).toEqual([]);
  });

  it('fails on deliberate violations: SQL and TypeORM writes into other modules’ tables', () => {
    const found = violations(
      writes.filter((write) => write.where.includes('violation-')),
      owners,
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^articles\/violation-sql\.ts:4: articles UPDATE rewards .* is written by payments$/,
      ),
      expect.stringMatching(
        /^articles\/violation-sql\.ts:5: articles UPDATE users .*\(money\) is written by ledger$/,
      ),
      expect.stringMatching(
        /^payments\/violation-typeorm\.ts:5: payments TypeORM increment of ArticleEntity, but articles is written by articles$/,
      ),
      expect.stringMatching(
        /^payments\/violation-typeorm\.ts:6: payments TypeORM save of ArticleEntity, but articles is written by articles$/,
      ),
      expect.stringMatching(
        /^users\/violation-money\.ts:2: users UPDATE users .*\(money, nickname\) is written by ledger$/,
      ),
    ]);
  });

  it.each([
    ['INSERT INTO withdrawals (user_id) VALUES ($1)', 'withdrawals', null],
    ['DELETE FROM ledger_entries WHERE id = 1', 'ledger_entries', null],
    [
      'UPDATE articles AS a SET read_count = a.read_count + v.reads FROM unnest($1) v',
      'articles',
      ['read_count'],
    ],
    ['SELECT id FROM articles WHERE id = $1 FOR UPDATE', undefined, undefined],
    ['SELECT id FROM refunds FOR UPDATE SKIP LOCKED', undefined, undefined],
  ])('reads %s as a write of %s', (sql, table, columns) => {
    const [write] = sqlWrites(sql);
    expect(write?.table).toBe(table);
    expect(write?.columns).toEqual(columns);
  });
});
