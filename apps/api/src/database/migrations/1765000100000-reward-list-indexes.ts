import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that let the wallet and the staff's order list read one page as one index range
 * (keyset paging, docs/BENCHMARKS.md "Scale"), whatever the number of rows before it:
 * - an author's received tips (paid or refunded) newest paid first: a partial index in
 *   exactly that order, which also answers their count by an index-only scan;
 * - staff orders by article and status, newest first: (article_id, status, id) replaces
 *   (article_id, status), of which it is a superset (the supporters' scans still use it);
 * - staff orders by status alone, newest first: (status, id).
 * The tips a user gave are already (user_id, id).
 */
export class RewardListIndexes1765000100000 implements MigrationInterface {
  name = 'RewardListIndexes1765000100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "rewards_received_idx" ON "rewards" ("author_id", "paid_at", "id") WHERE "status" IN (1, 4)`,
    );
    await queryRunner.query(
      `CREATE INDEX "rewards_article_status_id_idx" ON "rewards" ("article_id", "status", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."rewards_article_id_idx"`);
    await queryRunner.query(`CREATE INDEX "rewards_status_id_idx" ON "rewards" ("status", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."rewards_status_id_idx"`);
    await queryRunner.query(
      `CREATE INDEX "rewards_article_id_idx" ON "rewards" ("article_id", "status") `,
    );
    await queryRunner.query(`DROP INDEX "public"."rewards_article_status_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_received_idx"`);
  }
}
