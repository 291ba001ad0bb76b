#!/usr/bin/env node
// Fails when the entities and the committed migrations disagree: migrates a throw-away
// embedded PostgreSQL, then asks TypeORM what it would generate (as `migration:generate`
// does). Needs `nest build api` first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = (path) => new URL(`../dist/apps/api/${path}`, import.meta.url).href;
const { startEmbeddedPostgres } = await import(dist('libs/database/src/index.js'));
const { typeOrmOptions } = await import(dist('apps/api/src/database/typeorm-options.js'));
const { DataSource } = await import('typeorm');

const db = await startEmbeddedPostgres({
  dataDir: join(mkdtempSync(join(tmpdir(), 'renran-migrations-')), 'pg'),
  ephemeral: true,
});
let failed = false;
try {
  const dataSource = await new DataSource(typeOrmOptions(db.url, 2)).initialize();
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  const pending = await dataSource.driver.createSchemaBuilder().log();
  await dataSource.destroy();
  if (pending.upQueries.length > 0) {
    failed = true;
    console.error('✖ entities differ from the migrations; a new migration would contain:');
    for (const query of pending.upQueries) console.error(`  ${query.query}`);
  } else {
    console.log(
      `✓ ${applied.length} migrations applied; entities match them (nothing to generate)`,
    );
  }
} finally {
  await db.stop();
}
process.exit(failed ? 1 : 0);
