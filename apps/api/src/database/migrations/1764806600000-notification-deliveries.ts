import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time of every delivery of a notification, not only a count. Rows from before this knew
 * only their first and last delivery: those are the times they keep (so an old row seen five
 * times shows two times and `deliveries` 5).
 */
export class NotificationDeliveries1764806600000 implements MigrationInterface {
  name = 'NotificationDeliveries1764806600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "alipay_notifications" ADD "delivered_at" TIMESTAMP WITH TIME ZONE array`,
    );
    await queryRunner.query(
      `UPDATE "alipay_notifications"
          SET "delivered_at" = CASE WHEN "deliveries" > 1 AND "updated_time" > "created_time"
                                    THEN ARRAY["created_time", "updated_time"]
                                    ELSE ARRAY["created_time"] END`,
    );
    await queryRunner.query(
      `ALTER TABLE "alipay_notifications" ALTER COLUMN "delivered_at" SET NOT NULL`,
    );
    // Staff read the log newest first, often filtered by outcome (ledger verify too).
    await queryRunner.query(
      `CREATE INDEX "alipay_notifications_outcome_idx" ON "alipay_notifications"  ("outcome", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."alipay_notifications_outcome_idx"`);
    await queryRunner.query(`ALTER TABLE "alipay_notifications" DROP COLUMN "delivered_at"`);
  }
}
