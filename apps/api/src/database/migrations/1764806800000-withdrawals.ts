import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Author income can leave (DESIGN.md "Author income"): payout accounts (owned by users),
 * withdrawals (owned by withdrawals), the `payouts` ledger account their reserves move to,
 * and the foreign key the ledger's withdrawal references were waiting for.
 */
export class Withdrawals1764806800000 implements MigrationInterface {
  name = 'Withdrawals1764806800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payout_accounts" ("user_id" integer NOT NULL, "real_name" character varying(40) NOT NULL, "alipay_account" character varying(100) NOT NULL, "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payout_accounts_pkey" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "withdrawals" ("id" SERIAL NOT NULL, "user_id" integer NOT NULL, "amount" bigint NOT NULL, "status" smallint NOT NULL DEFAULT '0', "out_biz_no" character varying(64) NOT NULL, "payee_name" character varying(40) NOT NULL, "payee_account" character varying(100) NOT NULL, "idempotency_key" character varying(64), "reviewed_by" integer, "reject_reason" character varying(200), "failure_reason" character varying(200), "platform_order_id" character varying(64), "transfer_started_at" TIMESTAMP WITH TIME ZONE, "next_check_at" TIMESTAMP WITH TIME ZONE, "finished_time" TIMESTAMP WITH TIME ZONE, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "withdrawals_status_check" CHECK ("status" IN (0, 1, 2, 3, 4)), CONSTRAINT "withdrawals_amount_positive" CHECK ("amount" > 0), CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "withdrawals_out_biz_no_key" ON "withdrawals" ("out_biz_no")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "withdrawals_user_idempotency_key_key" ON "withdrawals" ("user_id", "idempotency_key")`,
    );
    await queryRunner.query(
      `CREATE INDEX "withdrawals_check_due_idx" ON "withdrawals" ("next_check_at") WHERE "status" = 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "withdrawals_status_idx" ON "withdrawals" ("status", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "withdrawals_user_id_idx" ON "withdrawals" ("user_id", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_withdrawal_id_fkey" FOREIGN KEY ("withdrawal_id") REFERENCES "withdrawals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "payout_accounts" ADD CONSTRAINT "payout_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // TypeORM does not see a changed CHECK expression: the new account by hand.
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_check" CHECK ("account" IN ('user', 'alipay', 'grants', 'payouts'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_check" CHECK ("account" IN ('user', 'alipay', 'grants'))`,
    );
    await queryRunner.query(`ALTER TABLE "withdrawals" DROP CONSTRAINT "withdrawals_user_id_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "payout_accounts" DROP CONSTRAINT "payout_accounts_user_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_withdrawal_id_fkey"`,
    );
    await queryRunner.query(`DROP TABLE "withdrawals"`);
    await queryRunner.query(`DROP TABLE "payout_accounts"`);
  }
}
