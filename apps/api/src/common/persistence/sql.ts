import type { EntityManager } from 'typeorm';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * Runs raw SQL and always answers rows plus the affected count. (TypeORM's `manager.query`
 * answers `[rows, count]` for UPDATE/DELETE but plain rows otherwise, a trap for
 * `UPDATE ... RETURNING`.)
 */
export async function runSql<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<SqlResult<T>> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, parameters, true);
    const rows = (result.records ?? []) as T[];
    return { rows, rowCount: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
