import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Summary tables payments keeps beside `rewards`, so that an article's supporters and the staff
 * stats read a few rows instead of aggregating every order (docs/BENCHMARKS.md, scale):
 *
 * - `article_supporters`: one row per named payer of an article (their paid tips together) and
 *   one per anonymous paid tip, in the order GET /article/:id/rewards answers them; written by
 *   `SupportersSummary` in the settlement and refund transactions.
 * - `article_supporter_counts`: how many such rows an article has (the answer's `count`).
 * - `reward_daily_stats`: orders and amounts per Beijing-time creation day, status and `slot`
 *   (id % 16, summed on read: creating an order adds to today's pending, and sixteen rows
 *   instead of one keep concurrent orders from queueing on one row lock). Kept by a trigger on
 *   `rewards`, deferred to commit, so that every writer of an order's status — the API, the
 *   bench's raw-order baseline, a future path — counts it, and the row lock is held only for
 *   the commit (docs/ARCHITECTURE.md, "Summary tables").
 *
 * All three are filled from the existing rows here, so an upgraded database answers right at
 * once.
 */
export class PaymentSummaries1765000000000 implements MigrationInterface {
  name = 'PaymentSummaries1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "article_supporters" (
         "article_id" integer NOT NULL,
         "user_id" integer NOT NULL,
         "anonymous" boolean NOT NULL,
         "reward_id" integer,
         "time" timestamptz,
         "total" bigint NOT NULL,
         "message" character varying(200),
         "tips" integer NOT NULL,
         CONSTRAINT "article_supporters_reward_id_check" CHECK ("anonymous" = ("reward_id" IS NOT NULL))
       )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "article_supporters_named_key" ON "article_supporters" ("article_id", "user_id") WHERE NOT "anonymous"`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "article_supporters_anonymous_key" ON "article_supporters" ("reward_id") WHERE "anonymous"`,
    );
    // The answer's order, so that a page is one range of this index.
    await queryRunner.query(
      `CREATE INDEX "article_supporters_page_idx" ON "article_supporters" ("article_id", "time" DESC NULLS LAST, "anonymous", "user_id", "reward_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "article_supporter_counts" (
         "article_id" integer PRIMARY KEY,
         "supporters" integer NOT NULL
       )`,
    );
    await queryRunner.query(
      `CREATE TABLE "reward_daily_stats" (
         "day" date NOT NULL,
         "status" smallint NOT NULL,
         "slot" smallint NOT NULL,
         "orders" integer NOT NULL,
         "amount" bigint NOT NULL,
         CONSTRAINT "reward_daily_stats_pkey" PRIMARY KEY ("day", "status", "slot")
       )`,
    );

    await queryRunner.query(
      `INSERT INTO "article_supporters"
         ("article_id", "user_id", "anonymous", "reward_id", "time", "total", "message", "tips")
       SELECT article_id, user_id, false, NULL, max(paid_at), sum(money),
              (array_agg(message ORDER BY paid_at DESC NULLS LAST, id DESC))[1], count(*)
         FROM rewards WHERE status = 1 AND NOT anonymous GROUP BY article_id, user_id
       UNION ALL
       SELECT article_id, user_id, true, id, paid_at, money, message, 1
         FROM rewards WHERE status = 1 AND anonymous`,
    );
    await queryRunner.query(
      `INSERT INTO "article_supporter_counts" ("article_id", "supporters")
       SELECT article_id, count(*) FROM article_supporters GROUP BY article_id`,
    );
    await queryRunner.query(
      `INSERT INTO "reward_daily_stats" ("day", "status", "slot", "orders", "amount")
       SELECT (created_time AT TIME ZONE 'Asia/Shanghai')::date, status, id % 16, count(*), sum(money)
         FROM rewards GROUP BY 1, 2, 3`,
    );

    // Adds one order (sign 1) or takes it away (-1) from its day, status and slot.
    await queryRunner.query(
      `CREATE FUNCTION "reward_daily_stats_add"(p_created timestamptz, p_status smallint, p_id integer, p_money bigint, p_sign integer)
       RETURNS void LANGUAGE sql AS $$
         INSERT INTO reward_daily_stats AS s (day, status, slot, orders, amount)
         VALUES ((p_created AT TIME ZONE 'Asia/Shanghai')::date, p_status, p_id % 16, p_sign, p_sign * p_money)
         ON CONFLICT (day, status, slot) DO UPDATE
           SET orders = s.orders + EXCLUDED.orders, amount = s.amount + EXCLUDED.amount
       $$`,
    );
    // A new order counts under its status; a changed one moves from its old status to its new
    // one, the lower status first so that two transactions take these rows in one order.
    await queryRunner.query(
      `CREATE FUNCTION "reward_daily_stats_count"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'INSERT' THEN
           PERFORM reward_daily_stats_add(NEW.created_time, NEW.status, NEW.id, NEW.money, 1);
         ELSIF (OLD.status, OLD.money, OLD.created_time) IS DISTINCT FROM
               (NEW.status, NEW.money, NEW.created_time) THEN
           IF OLD.status <= NEW.status THEN
             PERFORM reward_daily_stats_add(OLD.created_time, OLD.status, OLD.id, OLD.money, -1);
             PERFORM reward_daily_stats_add(NEW.created_time, NEW.status, NEW.id, NEW.money, 1);
           ELSE
             PERFORM reward_daily_stats_add(NEW.created_time, NEW.status, NEW.id, NEW.money, 1);
             PERFORM reward_daily_stats_add(OLD.created_time, OLD.status, OLD.id, OLD.money, -1);
           END IF;
         END IF;
         RETURN NULL;
       END
       $$`,
    );
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER "rewards_daily_stats"
         AFTER INSERT OR UPDATE OF "status", "money", "created_time" ON "rewards"
         DEFERRABLE INITIALLY DEFERRED
         FOR EACH ROW EXECUTE FUNCTION reward_daily_stats_count()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "rewards_daily_stats" ON "rewards"`);
    await queryRunner.query(`DROP FUNCTION "reward_daily_stats_count"()`);
    await queryRunner.query(
      `DROP FUNCTION "reward_daily_stats_add"(timestamptz, smallint, integer, bigint, integer)`,
    );
    await queryRunner.query(`DROP TABLE "reward_daily_stats"`);
    await queryRunner.query(`DROP TABLE "article_supporter_counts"`);
    await queryRunner.query(`DROP TABLE "article_supporters"`);
  }
}
