import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runSql } from '../common/persistence/sql.js';
import { RewardStatus, type RewardEntity } from './entities/reward.entity.js';

/**
 * `article_supporters` and `article_supporter_counts` (migration 1765000000000): an article's
 * supporters kept as rows, one per named payer (their paid tips together: total, count, the
 * latest tip's time and message) and one per anonymous paid tip, so that a page of
 * GET /article/:id/rewards is one index range instead of an aggregate over every tip.
 *
 * Written only here, inside the settlement and refund transactions, after the article's row is
 * locked by `countReward`: that lock orders every writer of one article's rows.
 */
@Injectable()
export class SupportersSummary {
  /** A tip was just marked paid (at `paidAt`): its payer's row grows, or a row is added. */
  async addPaid(manager: EntityManager, reward: RewardEntity, paidAt: Date): Promise<void> {
    const { rows } = reward.anonymous
      ? await runSql<{ inserted: boolean }>(
          manager,
          `INSERT INTO article_supporters
             (article_id, user_id, anonymous, reward_id, time, total, message, tips)
           VALUES ($1, $2, true, $3, $4, $5, $6, 1)
           ON CONFLICT (reward_id) WHERE anonymous DO NOTHING
           RETURNING true AS inserted`,
          [reward.articleId, reward.userId, reward.id, paidAt, reward.money, reward.message],
        )
      : await runSql<{ inserted: boolean }>(
          manager,
          // The latest tip's message goes with the latest time (a tip settled late may be
          // older than one already counted).
          `INSERT INTO article_supporters AS s
             (article_id, user_id, anonymous, reward_id, time, total, message, tips)
           VALUES ($1, $2, false, NULL, $3, $4, $5, 1)
           ON CONFLICT (article_id, user_id) WHERE NOT anonymous DO UPDATE
             SET total = s.total + EXCLUDED.total, tips = s.tips + 1,
                 message = CASE WHEN s.time IS NULL OR EXCLUDED.time >= s.time
                                THEN EXCLUDED.message ELSE s.message END,
                 time = GREATEST(s.time, EXCLUDED.time)
           RETURNING (xmax = 0) AS inserted`,
          [reward.articleId, reward.userId, paidAt, reward.money, reward.message],
        );
    if (rows[0]?.inserted) await this.countSupporters(manager, reward.articleId, 1);
  }

  /**
   * A paid tip was just marked refunded: an anonymous tip's row goes; a named payer's row is
   * recomputed from their tips of this article still paid (its latest time and message may
   * have been the refunded tip's), or goes with their last one.
   */
  async removeRefunded(manager: EntityManager, reward: RewardEntity): Promise<void> {
    if (reward.anonymous) {
      const { rowCount } = await runSql(
        manager,
        'DELETE FROM article_supporters WHERE anonymous AND reward_id = $1',
        [reward.id],
      );
      if (rowCount > 0) await this.countSupporters(manager, reward.articleId, -1);
      return;
    }
    const { rows } = await runSql<{ tips: number }>(
      manager,
      `WITH still AS (
         SELECT max(paid_at) AS time, sum(money) AS total, count(*)::int AS tips,
                (array_agg(message ORDER BY paid_at DESC NULLS LAST, id DESC))[1] AS message
           FROM rewards
          WHERE article_id = $1 AND user_id = $2 AND status = $3 AND NOT anonymous
       )
       UPDATE article_supporters s
          SET time = still.time, total = still.total, tips = still.tips, message = still.message
         FROM still
        WHERE s.article_id = $1 AND s.user_id = $2 AND NOT s.anonymous AND still.tips > 0
       RETURNING still.tips`,
      [reward.articleId, reward.userId, RewardStatus.Paid],
    );
    if (rows.length > 0) return;
    const { rowCount } = await runSql(
      manager,
      'DELETE FROM article_supporters WHERE article_id = $1 AND user_id = $2 AND NOT anonymous',
      [reward.articleId, reward.userId],
    );
    if (rowCount > 0) await this.countSupporters(manager, reward.articleId, -1);
  }

  private async countSupporters(manager: EntityManager, articleId: number, delta: 1 | -1) {
    await runSql(
      manager,
      `INSERT INTO article_supporter_counts AS c (article_id, supporters) VALUES ($1, $2)
       ON CONFLICT (article_id) DO UPDATE SET supporters = c.supporters + EXCLUDED.supporters`,
      [articleId, delta],
    );
  }
}
