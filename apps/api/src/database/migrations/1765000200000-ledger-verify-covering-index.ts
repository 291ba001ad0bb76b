import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger verification reads every order's legs in order (docs/BENCHMARKS.md, "Scale"):
 * an index on (reward_id, movement) that carries the columns it reads lets it aggregate
 * per movement, then per order, streaming, with no hash table or sort. It replaces the
 * index on reward_id alone (same leading column and condition, so lookups by order still
 * use it) and writes keep one index on these legs, not two.
 */
export class LedgerVerifyCoveringIndex1765000200000 implements MigrationInterface {
  name = 'LedgerVerifyCoveringIndex1765000200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_reward_id_movement_idx" ON "ledger_entries" ("reward_id", "movement") INCLUDE ("amount", "account", "kind", "refund_id", "withdrawal_id") WHERE "reward_id" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_reward_id_idx"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_reward_id_idx" ON "ledger_entries" ("reward_id") WHERE "reward_id" IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_reward_id_movement_idx"`);
  }
}
