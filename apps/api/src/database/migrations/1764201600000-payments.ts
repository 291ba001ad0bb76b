import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reward orders, refunds and verified Alipay notifications. */
export class Payments1764201600000 implements MigrationInterface {
  name = 'Payments1764201600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "alipay_notifications" ("id" BIGSERIAL NOT NULL, "notify_id" character varying(128) NOT NULL, "out_trade_no" character varying(64), "trade_status" character varying(32), "payload" jsonb NOT NULL, "outcome" character varying(32) NOT NULL, "deliveries" integer NOT NULL DEFAULT '1', "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "alipay_notifications_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "alipay_notifications_notify_id_key" ON "alipay_notifications"  ("notify_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "alipay_notifications_out_trade_no_idx" ON "alipay_notifications"  ("out_trade_no") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rewards" ("id" SERIAL NOT NULL, "trade_no" character varying(64) NOT NULL, "user_id" integer NOT NULL, "article_id" integer NOT NULL, "author_id" integer NOT NULL, "money" bigint NOT NULL, "message" character varying(200), "anonymous" boolean NOT NULL DEFAULT false, "pay_type" smallint NOT NULL, "status" smallint NOT NULL DEFAULT '0', "platform_trade_no" character varying(64), "paid_at" TIMESTAMP WITH TIME ZONE, "time_expire" TIMESTAMP WITH TIME ZONE NOT NULL, "next_check_at" TIMESTAMP WITH TIME ZONE, "check_attempts" integer NOT NULL DEFAULT '0', "idempotency_key" character varying(64), "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "rewards_status_check" CHECK ("status" BETWEEN 0 AND 4), CONSTRAINT "rewards_pay_type_check" CHECK ("pay_type" IN (0, 1)), CONSTRAINT "rewards_money_positive" CHECK ("money" > 0), CONSTRAINT "rewards_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "rewards_trade_no_key" ON "rewards"  ("trade_no") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "rewards_user_idempotency_key_key" ON "rewards"  ("user_id", "idempotency_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "rewards_pending_check_idx" ON "rewards"  ("next_check_at") WHERE "status" = 0 AND "pay_type" = 0`,
    );
    await queryRunner.query(
      `CREATE INDEX "rewards_article_id_idx" ON "rewards"  ("article_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "rewards_author_id_idx" ON "rewards"  ("author_id", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "rewards_user_id_idx" ON "rewards"  ("user_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "refunds" ("id" SERIAL NOT NULL, "reward_id" integer NOT NULL, "out_request_no" character varying(64) NOT NULL, "amount" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempt" integer NOT NULL DEFAULT '1', "next_check_at" TIMESTAMP WITH TIME ZONE, "failure_reason" character varying(200), "requested_by" integer NOT NULL, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "refunds_amount_positive" CHECK ("amount" > 0), CONSTRAINT "refunds_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed')), CONSTRAINT "refunds_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "refunds_reward_id_key" ON "refunds"  ("reward_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "refunds_out_request_no_key" ON "refunds"  ("out_request_no") `,
    );
    await queryRunner.query(
      `CREATE INDEX "refunds_pending_check_idx" ON "refunds"  ("next_check_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `ALTER TABLE "rewards" ADD CONSTRAINT "rewards_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rewards" ADD CONSTRAINT "rewards_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rewards" ADD CONSTRAINT "rewards_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refunds" ADD CONSTRAINT "refunds_reward_id_fkey" FOREIGN KEY ("reward_id") REFERENCES "rewards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP CONSTRAINT "refunds_reward_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP CONSTRAINT "rewards_author_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP CONSTRAINT "rewards_article_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "rewards" DROP CONSTRAINT "rewards_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_pending_check_idx"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_out_request_no_key"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_reward_id_key"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_user_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_author_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_article_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_pending_check_idx"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_user_idempotency_key_key"`);
    await queryRunner.query(`DROP INDEX "public"."rewards_trade_no_key"`);
    await queryRunner.query(`DROP TABLE "rewards"`);
    await queryRunner.query(`DROP INDEX "public"."alipay_notifications_out_trade_no_idx"`);
    await queryRunner.query(`DROP INDEX "public"."alipay_notifications_notify_id_key"`);
    await queryRunner.query(`DROP TABLE "alipay_notifications"`);
  }
}
