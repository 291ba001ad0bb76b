import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Alipay product an order is paid through (page, wap, qr) and, for qr, the code Alipay's
 * precreate answered: kept so that a replay by Idempotency-Key answers the same code.
 * Orders made before this were all page pay; balance payments have no channel.
 */
export class RewardChannels1764806700000 implements MigrationInterface {
  name = 'RewardChannels1764806700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rewards" ADD "channel" character varying(8)`);
    await queryRunner.query(`ALTER TABLE "rewards" ADD "qr_code" character varying(512)`);
    await queryRunner.query(`UPDATE "rewards" SET "channel" = 'page' WHERE "pay_type" = 0`);
    await queryRunner.query(
      `ALTER TABLE "rewards" ADD CONSTRAINT "rewards_channel_check" CHECK (("pay_type" = 1 AND "channel" IS NULL) OR ("pay_type" = 0 AND "channel" IN ('page', 'wap', 'qr')))`,
    );
    await queryRunner.query(
      `ALTER TABLE "rewards" ADD CONSTRAINT "rewards_qr_code_check" CHECK ("qr_code" IS NULL OR "channel" = 'qr')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rewards" DROP CONSTRAINT "rewards_qr_code_check"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP CONSTRAINT "rewards_channel_check"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP COLUMN "qr_code"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP COLUMN "channel"`);
  }
}
