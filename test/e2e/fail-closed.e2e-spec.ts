import { ConfigError } from '@renran/config';
import { findFreePort } from '@renran/database';
import pg from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createStaffUser } from '../../apps/api/src/cli/staff-user.js';
import { DEMO_ACCOUNTS } from '../../apps/api/src/database/seeds/demo-accounts.js';
import { startApi } from '../../apps/api/src/start-api.js';
import { generateTestKeys, keyModeEnv, type TestKeys } from '../support/alipay-keys.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

// DESIGN.md "Fail closed": an operator who points the API (or create-staff) at a real database
// and forgets APP_ENV gets no demo users with README passwords and no public JWT secret.
const SETUP_TIMEOUT_MS = 120_000;
const REAL_SECRET = 'p3Rk8sLq2Zt6Wm9Xv4Nb7Jc1Hd5Gf0Ya';
const REAL_APP_ID = '2021004100000000';

describe('an external DATABASE_URL without APP_ENV', () => {
  let keys: TestKeys;
  const databases: TestDatabase[] = [];

  beforeAll(() => {
    keys = generateTestKeys();
  });
  afterAll(() => Promise.all(databases.map((db) => db.drop())), SETUP_TIMEOUT_MS);

  async function emptyDatabase(): Promise<TestDatabase> {
    const db = await createEmptyDatabase();
    databases.push(db);
    return db;
  }

  async function inDatabase<T>(db: TestDatabase, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const tableCount = async (db: TestDatabase) =>
    (
      await inDatabase<{ tables: number }>(
        db,
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
      )
    )[0].tables;

  async function apiEnv(db: TestDatabase): Promise<Record<string, string>> {
    return {
      DATABASE_URL: db.url,
      API_PORT: String(await findFreePort()),
      LOG_LEVEL: 'silent',
      ALIPAY_APP_PRIVATE_KEY_PATH: keys.appPrivateKeyPath,
      ...keyModeEnv(keys, 'certificate'),
    };
  }

  it(
    'the API refuses to start on the development JWT secret, touching nothing',
    async () => {
      const db = await emptyDatabase();
      const failure = startApi({ ...(await apiEnv(db)), ALIPAY_APP_ID: REAL_APP_ID });
      await expect(failure).rejects.toBeInstanceOf(ConfigError);
      await expect(failure).rejects.toThrow('JWT_SECRET');
      expect(await tableCount(db)).toBe(0);
    },
    SETUP_TIMEOUT_MS,
  );

  it.each<[string, Record<string, string>]>([
    ['no APP_ENV', {}],
    ['APP_ENV=development', { APP_ENV: 'development' }],
  ])(
    'with %s and a real secret the API migrates and seeds no demo users',
    async (_label, appEnv) => {
      const db = await emptyDatabase();
      const api = await startApi({
        ...appEnv,
        ...(await apiEnv(db)),
        JWT_SECRET: REAL_SECRET,
        ALIPAY_APP_ID: REAL_APP_ID,
      });
      try {
        expect(api.prepared.migrationsApplied.length).toBeGreaterThan(0);
        expect(api.prepared.demo).toBeNull();
        const [counts] = await inDatabase<{ users: number; articles: number }>(
          db,
          'SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM articles) AS articles',
        );
        expect(counts).toEqual({ users: 0, articles: 0 });
        // The README's demo staff password opens nothing.
        const { username, password } = DEMO_ACCOUNTS.staff;
        await request(api.app.getHttpServer() as App)
          .post('/users/login')
          .send({ username, password })
          .expect(401);
      } finally {
        await api.stop();
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'create-staff creates its staff user and nothing else',
    async () => {
      const db = await emptyDatabase();
      const env = { DATABASE_URL: db.url };
      // The same environment rules as the API: no public JWT secret on a real database.
      await expect(createStaffUser(env, 'ops_admin', 'ops-password-2026')).rejects.toThrow(
        'JWT_SECRET',
      );
      expect(await tableCount(db)).toBe(0);

      const result = await createStaffUser(
        { ...env, JWT_SECRET: REAL_SECRET, ALIPAY_APP_ID: REAL_APP_ID },
        'ops_admin',
        'ops-password-2026',
      );
      expect(result.created).toBe(true);
      const users = await inDatabase<{ username: string; is_staff: boolean }>(
        db,
        'SELECT username, is_staff FROM users ORDER BY id',
      );
      expect(users).toEqual([{ username: 'ops_admin', is_staff: true }]);
      const [{ entries }] = await inDatabase<{ entries: number }>(
        db,
        'SELECT count(*)::int AS entries FROM ledger_entries',
      );
      expect(entries).toBe(0);
    },
    SETUP_TIMEOUT_MS,
  );
});
