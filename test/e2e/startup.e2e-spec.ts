import { ConfigError } from '@renran/config';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../../apps/api/src/database/migrate.js';
import { migrations } from '../../apps/api/src/database/migrations/index.js';
import { DEMO_ACCOUNTS } from '../../apps/api/src/database/seeds/demo-accounts.js';
import { typeOrmOptions } from '../../apps/api/src/database/typeorm-options.js';
import { startApi } from '../../apps/api/src/start-api.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

describe('start-up', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(() => db.drop());

  it('migrates and seeds once when two instances start together on an empty database', async () => {
    const instances = await Promise.all(
      [1, 2].map(() => new DataSource(typeOrmOptions(db.url, 3)).initialize()),
    );
    try {
      const results = await Promise.all(
        instances.map((dataSource) => prepareDatabase(dataSource, { seedDemoData: true })),
      );
      const applied = results.map((result) => result.migrationsApplied.length).sort();
      expect(applied).toEqual([0, migrations.length]);
      expect(results.map((result) => result.demo?.created).sort()).toEqual([false, true]);

      const [check] = instances;
      const [counts] = await check.query(
        `SELECT (SELECT count(*)::int FROM migrations) AS migrations,
                (SELECT count(*)::int FROM users) AS users,
                (SELECT count(*)::int FROM articles WHERE is_public) AS articles,
                (SELECT money FROM users WHERE username = $1) AS reader_money,
                (SELECT count(*)::int FROM ledger_entries) AS entries`,
        [DEMO_ACCOUNTS.reader.username],
      );
      expect(counts).toEqual({
        migrations: migrations.length,
        users: 3,
        articles: 5,
        reader_money: '20000',
        entries: 2,
      });
    } finally {
      await Promise.all(instances.map((dataSource) => dataSource.destroy()));
    }
  });
});

describe('start-up configuration', () => {
  const production = {
    APP_ENV: 'production',
    DATABASE_URL: 'postgres://renran:pw@127.0.0.1:1/renran',
    JWT_SECRET: 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga',
    ALIPAY_APP_ID: '2021004100000000',
    ALIPAY_APP_PRIVATE_KEY_PATH: 'package.json',
    ALIPAY_PUBLIC_KEY_PATH: 'package.json',
    ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
    ALIPAY_NOTIFY_URL: 'https://api.renran.example/payments/alipay/result/',
    ALIPAY_RETURN_URL: 'https://www.renran.example/wallet',
  };

  it.each(['ALIPAY_APP_ID', 'ALIPAY_GATEWAY', 'ALIPAY_PUBLIC_KEY_PATH', 'JWT_SECRET'])(
    'APP_ENV=production without %s refuses to start, naming it',
    async (name) => {
      const env: Record<string, string> = { ...production };
      delete env[name];
      const failure = startApi(env);
      await expect(failure).rejects.toBeInstanceOf(ConfigError);
      await expect(failure).rejects.toThrow(name);
    },
  );
});
