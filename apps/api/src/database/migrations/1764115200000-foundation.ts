import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, articles, likes, the ledger, and the rate limiter's table (shared by all API instances). */

export class Foundation1764115200000 implements MigrationInterface {
  name = 'Foundation1764115200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "username" character varying(32) NOT NULL, "password_hash" character varying(255) NOT NULL, "nickname" character varying(32), "avatar" character varying(255), "mobile" character varying(15), "wechat" character varying(100), "alipay" character varying(100), "qq_number" character varying(11), "money" bigint NOT NULL DEFAULT '0', "is_staff" boolean NOT NULL DEFAULT false, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "users_money_non_negative" CHECK ("money" >= 0), CONSTRAINT "users_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "users_username_key" ON "users"  ("username") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_mobile_key" ON "users"  ("mobile") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_wechat_key" ON "users"  ("wechat") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_alipay_key" ON "users"  ("alipay") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_qq_number_key" ON "users"  ("qq_number") `);
    await queryRunner.query(
      `CREATE TABLE "articles" ("id" SERIAL NOT NULL, "name" character varying(200) NOT NULL, "content" text NOT NULL, "render" text NOT NULL, "word_count" integer NOT NULL DEFAULT '0', "read_count" integer NOT NULL DEFAULT '0', "like_count" integer NOT NULL DEFAULT '0', "reward_count" integer NOT NULL DEFAULT '0', "is_public" boolean NOT NULL DEFAULT true, "user_id" integer NOT NULL, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "articles_counts_non_negative" CHECK ("read_count" >= 0 AND "like_count" >= 0 AND "reward_count" >= 0), CONSTRAINT "articles_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "articles_user_id_idx" ON "articles"  ("user_id") `);
    await queryRunner.query(
      `CREATE INDEX "articles_public_idx" ON "articles"  ("is_public", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "article_likes" ("article_id" integer NOT NULL, "user_id" integer NOT NULL, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "article_likes_pkey" PRIMARY KEY ("article_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_entries" ("id" BIGSERIAL NOT NULL, "entry_key" character varying(120) NOT NULL, "movement" character varying(100) NOT NULL, "kind" character varying(32) NOT NULL, "account" character varying(16) NOT NULL, "user_id" integer, "amount" bigint NOT NULL, "created_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ledger_entries_amount_non_zero" CHECK ("amount" <> 0), CONSTRAINT "ledger_entries_user_leg_check" CHECK (("account" = 'user') = ("user_id" IS NOT NULL)), CONSTRAINT "ledger_entries_account_check" CHECK ("account" IN ('user', 'alipay', 'grants')), CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ledger_entries_entry_key_key" ON "ledger_entries"  ("entry_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_movement_idx" ON "ledger_entries"  ("movement") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ledger_entries_user_id_idx" ON "ledger_entries"  ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "articles" ADD CONSTRAINT "articles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_likes" ADD CONSTRAINT "article_likes_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_likes" ADD CONSTRAINT "article_likes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // rate-limiter-flexible's PostgreSQL store, created here rather than by the library at run time.
    await queryRunner.query(
      `CREATE TABLE "rate_limits" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT 0, "expire" bigint, CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limits"`);
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_user_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_likes" DROP CONSTRAINT "article_likes_user_id_fkey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "article_likes" DROP CONSTRAINT "article_likes_article_id_fkey"`,
    );
    await queryRunner.query(`ALTER TABLE "articles" DROP CONSTRAINT "articles_user_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_user_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_movement_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_entry_key_key"`);
    await queryRunner.query(`DROP TABLE "ledger_entries"`);
    await queryRunner.query(`DROP TABLE "article_likes"`);
    await queryRunner.query(`DROP INDEX "public"."articles_public_idx"`);
    await queryRunner.query(`DROP INDEX "public"."articles_user_id_idx"`);
    await queryRunner.query(`DROP TABLE "articles"`);
    await queryRunner.query(`DROP INDEX "public"."users_qq_number_key"`);
    await queryRunner.query(`DROP INDEX "public"."users_alipay_key"`);
    await queryRunner.query(`DROP INDEX "public"."users_wechat_key"`);
    await queryRunner.query(`DROP INDEX "public"."users_mobile_key"`);
    await queryRunner.query(`DROP INDEX "public"."users_username_key"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
