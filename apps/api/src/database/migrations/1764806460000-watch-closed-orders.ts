import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation now also asks about cancelled and expired Alipay orders while it watches
 * them: its due-rows index covers every row with a next check, whatever its status.
 */
export class WatchClosedOrders1764806460000 implements MigrationInterface {
  name = 'WatchClosedOrders1764806460000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."rewards_pending_check_idx"`);
    await queryRunner.query(
      `CREATE INDEX "rewards_check_due_idx" ON "rewards"  ("next_check_at") WHERE "next_check_at" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."rewards_check_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "rewards_pending_check_idx" ON "rewards"  ("next_check_at") WHERE "status" = 0 AND "pay_type" = 0`,
    );
  }
}
