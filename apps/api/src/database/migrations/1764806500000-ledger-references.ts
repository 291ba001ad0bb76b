import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Typed references on ledger entries (which order, refund or withdrawal a movement belongs
 * to) and each user leg's balance right after it, so ledger verify and a user's statement
 * never parse movement strings. Existing rows are filled here, the only place that reads the
 * old `reward:<id>:settle` / `refund:<id>:<attempt>:<reserve|reverse>` strings.
 */
export class LedgerReferences1764806500000 implements MigrationInterface {
  name = 'LedgerReferences1764806500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD "reward_id" integer, ADD "refund_id" integer, ADD "withdrawal_id" integer, ADD "balance_after" bigint`,
    );

    // Settlements name their order; refund movements name their refund, whose order is known.
    // A string pointing at a row that does not exist stays unreferenced (verify lists it).
    await queryRunner.query(
      `UPDATE "ledger_entries" e SET "reward_id" = r."id"
         FROM "rewards" r
        WHERE e."movement" ~ '^reward:[0-9]{1,9}:settle$'
          AND r."id" = split_part(e."movement", ':', 2)::integer`,
    );
    await queryRunner.query(
      `UPDATE "ledger_entries" e SET "refund_id" = f."id", "reward_id" = f."reward_id"
         FROM "refunds" f
        WHERE e."movement" ~ '^refund:[0-9]{1,9}:[0-9]+:(reserve|reverse)$'
          AND f."id" = split_part(e."movement", ':', 2)::integer`,
    );
    // Each user leg's balance after it: the running sum of that user's legs in id order
    // (entries of one user are written under that user's row lock, so ids follow it).
    await queryRunner.query(
      `UPDATE "ledger_entries" e SET "balance_after" = running."balance"
         FROM (SELECT "id", SUM("amount") OVER (PARTITION BY "user_id" ORDER BY "id") AS "balance"
                 FROM "ledger_entries" WHERE "account" = 'user') running
        WHERE e."id" = running."id"`,
    );

    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_balance_after_check" CHECK ("account" = 'user' OR "balance_after" IS NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reward_id_fkey" FOREIGN KEY ("reward_id") REFERENCES "rewards"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_refund_id_fkey" FOREIGN KEY ("refund_id") REFERENCES "refunds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A user's statement pages through (user_id, id DESC); this also serves balance sums.
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_user_id_idx"`);
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_user_id_id_idx" ON "ledger_entries"  ("user_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_reward_id_idx" ON "ledger_entries"  ("reward_id") WHERE "reward_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_refund_id_idx" ON "ledger_entries"  ("refund_id") WHERE "refund_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_withdrawal_id_idx" ON "ledger_entries"  ("withdrawal_id") WHERE "withdrawal_id" IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_withdrawal_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_refund_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_reward_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_user_id_id_idx"`);
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_user_id_idx" ON "ledger_entries"  ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_refund_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_reward_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_balance_after_check"`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP COLUMN "balance_after", DROP COLUMN "withdrawal_id", DROP COLUMN "refund_id", DROP COLUMN "reward_id"`,
    );
  }
}
