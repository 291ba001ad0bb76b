import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds made outside the system (in Alipay's merchant console) and learnt of from a
 * verified notice are booked as refund rows of their own: marked external, requested by
 * nobody of ours.
 */
export class ExternalRefunds1764806400000 implements MigrationInterface {
  name = 'ExternalRefunds1764806400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" ADD "external" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "refunds" ALTER COLUMN "requested_by" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "refunds" ADD CONSTRAINT "refunds_requested_by_check" CHECK ("external" OR "requested_by" IS NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP CONSTRAINT "refunds_requested_by_check"`);
    await queryRunner.query(`DELETE FROM "refunds" WHERE "external"`);
    await queryRunner.query(`ALTER TABLE "refunds" ALTER COLUMN "requested_by" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "external"`);
  }
}
