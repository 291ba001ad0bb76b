import type { PoolConfig } from 'pg';

/**
 * Options for node-postgres shared by every process. Short connect timeouts make a stopped
 * database fail requests quickly (a 503) instead of hanging them; the pool reconnects by
 * itself when the server is back.
 */
export function poolOptions(databaseUrl: string, max = 20): PoolConfig {
  return {
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    // Guards against a statement stuck behind a lock forever; far above any real query here.
    statement_timeout: 15_000,
    application_name: 'renran-reward',
  };
}
