import type { AppConfig } from '@renran/config';
import type { DataSource } from 'typeorm';
import { seedDemoData, type DemoSeedResult } from './seeds/demo-data.js';

/** Any fixed number; every instance of the API takes this lock before touching the schema. */
const SCHEMA_LOCK_KEY = 20_261_126;

export interface PrepareResult {
  migrationsApplied: string[];
  demo: DemoSeedResult | null;
}

/**
 * Runs pending migrations and, in development on the embedded database only
 * (`config.seedDemoData`), seeds an empty database with the demo data, under a PostgreSQL
 * advisory lock: a second instance starting at the same moment waits, then finds nothing
 * left to do. An external database never gets demo users: their passwords are in the README.
 */
export async function prepareDatabase(
  dataSource: DataSource,
  config: Pick<AppConfig, 'seedDemoData'>,
): Promise<PrepareResult> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const demo = config.seedDemoData ? await seedDemoData(dataSource) : null;
    return { migrationsApplied: applied.map((migration) => migration.name), demo };
  } finally {
    await lockRunner
      .query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY])
      .catch(() => undefined);
    await lockRunner.release();
  }
}
