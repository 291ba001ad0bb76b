import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type DataSource, EntityManager } from 'typeorm';

/**
 * A statement run as a named prepared statement: PostgreSQL parses and plans it once per
 * connection, and each run then sends only its values. `name` must be unique to `text`
 * (node-postgres refuses one name for two texts).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs a prepared statement straight on TypeORM's own pg pool (or, for a manager inside a
 * transaction, on that transaction's connection), with none of the query runner's per-call
 * work. For the hottest statements only (the order path); `runSql` stays the default.
 * Errors are node-postgres's own, which `isUniqueViolation` and the exception filter read.
 */
export async function runPrepared<T extends QueryResultRow>(
  on: DataSource | EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  const query = { name: statement.name, text: statement.text, values };
  if (on instanceof EntityManager && on.queryRunner) {
    // Inside a transaction: its connection, already taken (connect() answers the same one).
    const client = (await on.queryRunner.connect()) as PoolClient;
    return (await client.query<T>(query)).rows;
  }
  const dataSource = on instanceof EntityManager ? on.dataSource : on;
  const { master: pool } = dataSource.driver as unknown as { master: Pool };
  return (await pool.query<T>(query)).rows;
}
