import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fenFromDatabase, formatFen } from '@renran/money';
import { Repository } from 'typeorm';
import { boundedTotal, COUNT_CAP } from '../common/bounded-count.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { toPerson } from './dto/reward-responses.js';
import type { IncomeResponse } from './dto/reward.response.js';
import { RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { RewardsService } from './rewards.service.js';
import { SupportersCache } from './supporters-cache.js';

/** A named payer's tips together, or one anonymous tip (which carries no name at all). */
type SupporterRow = {
  user_id: number;
  time: Date;
  total: string;
  message: string | null;
} & (
  | { anonymous: false; username: string; nickname: string | null; avatar: string | null }
  | { anonymous: true; username: null; nickname: null; avatar: null }
);

/** Read models over orders: a user's wallet and an article's supporters. */
@Injectable()
export class WalletService {
  constructor(
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    private readonly rewardsService: RewardsService,
    private readonly supportersCache: SupportersCache,
  ) {}

  /**
   * GET /users/me/wallet: the balance, the tips given (all statuses) and received (paid or
   * refunded), one page of each: by number, or after `cursor`. Each page is one query reading
   * an index range in the list's order (rewards_user_id_idx, rewards_received_idx), and with
   * a cursor that range starts at the last row shown instead of after an OFFSET, so a deep
   * page costs what the first does. `next_cursor` moves both lists on, as page + 1 does.
   */
  async wallet(user: UserEntity, paging: { page: number; page_size: number; cursor?: string }) {
    // The cursor holds the id of the last given and of the last received tip shown, 0 for a
    // list that has ended. Ids, not times: paid_at has microseconds a JS Date would lose.
    const after = paging.cursor ? decodeCursor(paging.cursor, 2) : undefined;
    const offset = after ? 0 : (paging.page - 1) * paging.page_size;
    // One row beyond the page says whether there is a next one.
    const take = paging.page_size + 1;
    const [givenRows, receivedRows, counts] = await Promise.all([
      after?.[0] === 0 ? [] : this.givenPage(user.id, after?.[0], offset, take),
      after?.[1] === 0 ? [] : this.receivedPage(user.id, after?.[1], offset, take),
      this.walletCounts(user.id),
    ]);
    const given = givenRows.slice(0, paging.page_size);
    const received = receivedRows.slice(0, paging.page_size);
    const givenMore = givenRows.length > given.length;
    const receivedMore = receivedRows.length > received.length;
    return {
      money: formatFen(user.money),
      next_cursor:
        givenMore || receivedMore
          ? encodeCursor([givenMore ? given.at(-1)!.id : 0, receivedMore ? received.at(-1)!.id : 0])
          : null,
      given: {
        items: given.map((reward) => this.rewardsService.present(reward)),
        ...counts.given,
      },
      received: {
        items: received.map((reward) => ({
          trade_no: reward.tradeNo,
          status: reward.status,
          money: formatFen(reward.money),
          message: reward.message,
          anonymous: reward.anonymous,
          payer: toPerson(reward.user, reward.anonymous),
          article: { id: reward.article.id, name: reward.article.name },
          paid_time: reward.paidAt,
        })),
        ...counts.received,
      },
    };
  }

  /** The tips a user gave, newest first: after the one with id `afterId`, or from `offset`. */
  private givenPage(userId: number, afterId: number | undefined, offset: number, take: number) {
    const builder = this.rewards
      .createQueryBuilder('reward')
      .leftJoinAndSelect('reward.article', 'article')
      .where('reward.userId = :userId', { userId })
      .orderBy('reward.id', 'DESC')
      // limit/offset, not take/skip: the joins are many-to-one, so one query serves the page
      // (take/skip would first select the page's ids in a query of their own).
      .limit(take);
    if (afterId === undefined) builder.offset(offset);
    else builder.andWhere('reward.id < :afterId', { afterId });
    return builder.getMany();
  }

  /**
   * The tips an author received, newest paid first: after the one with id `afterId` (read
   * back at its exact paid_at), or from `offset`. The page's ids come first, from an
   * index-only scan of the partial rewards_received_idx (the status condition is written out
   * so that the planner matches it to the index); only those rows are then read with their
   * article and payer. Whole rows at page=5000 made the planner sort all 10^5 (2 s at scale);
   * ids first, the OFFSET skips index entries only (~0.1 s), and a cursor skips nothing.
   */
  private receivedPage(
    authorId: number,
    afterId: number | undefined,
    offset: number,
    take: number,
  ) {
    const ids = this.rewards
      .createQueryBuilder('picked')
      .select('picked.id')
      .where('picked.authorId = :authorId', { authorId })
      .andWhere(`picked.status IN (${RewardStatus.Paid}, ${RewardStatus.Refunded})`)
      .orderBy('picked.paidAt', 'DESC')
      .addOrderBy('picked.id', 'DESC')
      .limit(take);
    if (afterId === undefined) ids.offset(offset);
    else {
      ids.andWhere(
        '(picked.paidAt, picked.id) < ((SELECT r.paid_at FROM rewards r WHERE r.id = :afterId), :afterId)',
        { afterId },
      );
    }
    return this.rewards
      .createQueryBuilder('reward')
      .innerJoinAndSelect('reward.article', 'article')
      .innerJoinAndSelect('reward.user', 'payer')
      .where(`reward.id IN (${ids.getQuery()})`)
      .setParameters(ids.getParameters())
      .orderBy('reward.paidAt', 'DESC')
      .addOrderBy('reward.id', 'DESC')
      .getMany();
  }

  /**
   * How many tips the user gave and received, each counted up to COUNT_CAP: index-only scans
   * of (user_id, id) and of the partial rewards_received_idx that stop there. Counting all of
   * an author's 10^5 tips received took 12–30 ms at scale, ten times the page itself.
   */
  private async walletCounts(userId: number) {
    const [counts] = await this.rewards.query<{ given: number; received: number }[]>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM rewards WHERE user_id = $1 LIMIT $2) g)::int
                AS given,
              (SELECT count(*) FROM (SELECT 1 FROM rewards
                WHERE author_id = $1 AND status IN (${RewardStatus.Paid}, ${RewardStatus.Refunded})
                LIMIT $2) r)::int AS received`,
      [userId, COUNT_CAP + 1],
    );
    return { given: boundedTotal(counts.given), received: boundedTotal(counts.received) };
  }

  /**
   * GET /users/me/income?days=N: tips received per Beijing-time day, the last N days up to
   * today, oldest first, every day present (0.00 on a day without tips). Refunded tips are
   * left out: only orders still paid count.
   */
  async income(user: UserEntity, days: number): Promise<IncomeResponse> {
    const rows = await this.rewards.query<{ date: string; amount: string }[]>(
      `WITH span AS (
         SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - ($2::int - 1) AS first_day,
                (now() AT TIME ZONE 'Asia/Shanghai')::date AS last_day
       ), tips AS (
         SELECT (r.paid_at AT TIME ZONE 'Asia/Shanghai')::date AS day, sum(r.money) AS amount
           FROM rewards r, span
          WHERE r.author_id = $1 AND r.status = $3
            AND r.paid_at >= span.first_day::timestamp AT TIME ZONE 'Asia/Shanghai'
          GROUP BY 1
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS date, COALESCE(t.amount, 0) AS amount
         FROM span, generate_series(span.first_day, span.last_day, interval '1 day') AS d(day)
         LEFT JOIN tips t ON t.day = d.day::date
        ORDER BY d.day`,
      [user.id, days, RewardStatus.Paid],
    );
    return {
      days: rows.map((row) => ({ date: row.date, amount: formatFen(fenFromDatabase(row.amount)) })),
    };
  }

  /**
   * GET /article/:id/rewards: the payers of paid tips, newest first. Named tips are grouped by
   * payer; each anonymous tip is a supporter of its own (匿名读者, no avatar), so it is never
   * tied to its payer's name, time or amount. count = distinct named payers + anonymous tips.
   * Amounts and messages only for the author (everyone's) and a payer (their own).
   * One page of them (page / page_size, or the page after `cursor`), with `next_cursor` for
   * the next: an article with 10^5 tips has tens of thousands of supporters, and answering
   * them all made its page megabytes long (docs/BENCHMARKS.md, scale).
   *
   * Read from the summary `SupportersSummary` keeps in the settlement and refund transactions:
   * a page is one range of its index, and the count one row.
   */
  async supporters(
    articleId: number,
    viewer: UserEntity | undefined,
    paging: { page: number; page_size: number; cursor?: string },
  ) {
    const after = paging.cursor ? parseCursor(paging.cursor) : undefined;
    const start = (paging.page - 1) * paging.page_size;
    const fromTop = !after && start + paging.page_size <= CACHED_TOP;
    // The first supporters, the same for every viewer (what each one may see is picked below),
    // are cached (SupportersCache): they are on the article's page.
    const page = fromTop
      ? await this.supportersCache.get(articleId, () =>
          this.loadSupporters(articleId, { limit: CACHED_TOP + 1, offset: 0 }),
        )
      : await this.loadSupporters(
          articleId,
          after
            ? { limit: paging.page_size + 1, after }
            : { limit: paging.page_size + 1, offset: start },
        );
    if (!page) throw new NotFoundException('文章不存在或尚未发布');
    const rows = fromTop ? page.rows.slice(start) : page.rows;
    const shown = rows.slice(0, paging.page_size);
    const more = rows.length > shown.length;
    const viewerIsAuthor = viewer?.id === page.authorId;
    return {
      count: page.count,
      next_cursor:
        more && shown.length > 0
          ? await this.cursorAfter(articleId, shown, fromTop ? page.rows : undefined, {
              start,
              after,
            })
          : null,
      supporters: shown.map((row) => {
        const person = row.anonymous
          ? toPerson(null, true)
          : toPerson(
              {
                id: row.user_id,
                username: row.username,
                nickname: row.nickname,
                avatar: row.avatar,
              },
              false,
            );
        const { nickname, avatar } = person;
        const seesAmounts = viewerIsAuthor || viewer?.id === row.user_id;
        return {
          nickname,
          avatar,
          time: row.time,
          ...(viewer?.id === row.user_id ? { is_me: true } : {}),
          ...(seesAmounts
            ? { money: formatFen(fenFromDatabase(row.total)), message: row.message }
            : {}),
        };
      }),
    };
  }

  /**
   * The article's author, its supporter count and a range of its supporters in the answer's
   * order, in one statement (one snapshot); null when the article is missing or unpublished.
   * `after` is a cursor: the rows at or before its millisecond, past the first `same` of that
   * millisecond when it still has rows (what the cursor's page ended on).
   */
  private async loadSupporters(
    articleId: number,
    range: { limit: number; offset: number } | { limit: number; after: SupportersCursor },
  ): Promise<SupportersPage | null> {
    const cursor = 'after' in range ? range.after : undefined;
    const rows = await this.rewards.query<
      Array<{ author_id: number; count: number } & (SupporterRow | { user_id: null })>
    >(
      `SELECT a.user_id AS author_id, COALESCE(c.supporters, 0) AS count, s.*
         FROM articles a
         LEFT JOIN article_supporter_counts c ON c.article_id = a.id
         LEFT JOIN LATERAL (
           -- The page first, then the names of its rows only (not of the rows it skips).
           SELECT p.*, u.username, u.nickname, u.avatar
             FROM (SELECT s.user_id, s.anonymous, s.time, s.total, s.message, s.reward_id
                     FROM article_supporters s
                    WHERE s.article_id = $1 AND ($4::timestamptz IS NULL OR s.time < $4)
                    ORDER BY s.time DESC NULLS LAST, s.anonymous, s.user_id, s.reward_id
                    LIMIT $2
                   OFFSET CASE WHEN $4::timestamptz IS NULL THEN $3::int
                               WHEN EXISTS (SELECT 1 FROM article_supporters e
                                             WHERE e.article_id = $1 AND e.time >= $5 AND e.time < $4)
                               THEN $6::int ELSE 0 END) p
             LEFT JOIN users u ON u.id = p.user_id AND NOT p.anonymous
         ) s ON true
        WHERE a.id = $1 AND a.is_public
        ORDER BY s.time DESC NULLS LAST, s.anonymous, s.user_id, s.reward_id`,
      [
        articleId,
        range.limit,
        'offset' in range ? range.offset : 0,
        cursor ? new Date(cursor.time + 1) : null,
        cursor ? new Date(cursor.time) : null,
        cursor?.same ?? 0,
      ],
    );
    if (rows.length === 0) return null;
    return {
      authorId: rows[0].author_id,
      count: Number(rows[0].count),
      rows: rows.filter((row): row is typeof row & SupporterRow => row.user_id !== null),
    };
  }

  /**
   * The cursor after the last of `shown`: its millisecond and how many supporters of that
   * millisecond come up to it in the whole list (counted within the page unless the page is
   * all that one millisecond: then also those before the page).
   */
  private async cursorAfter(
    articleId: number,
    shown: SupporterRow[],
    top: SupporterRow[] | undefined,
    { start, after }: { start: number; after?: SupportersCursor },
  ): Promise<string> {
    const last = shown.length - 1;
    const time = shown[last].time.getTime();
    let same = 0;
    for (let i = last; i >= 0 && shown[i].time.getTime() === time; i--) same++;
    if (same === shown.length) {
      if (top) {
        for (let i = start - 1; i >= 0 && top[i].time.getTime() === time; i--) same++;
      } else if (after) {
        if (after.time === time) same += after.same;
      } else if (start > 0) {
        const [{ newer }] = await this.rewards.query<{ newer: number }[]>(
          'SELECT count(*)::int AS newer FROM article_supporters WHERE article_id = $1 AND time >= $2',
          [articleId, new Date(time + 1)],
        );
        same += start - newer;
      }
    }
    return encodeCursor([time, same]);
  }
}

/** How many supporters the cache keeps per article: page 1 of any page_size, and more. */
const CACHED_TOP = 50;

interface SupportersPage {
  authorId: number;
  count: number;
  rows: SupporterRow[];
}

/**
 * A supporters cursor: the time (milliseconds) of the row a page ended on and how many rows of
 * that same time came up to it, so that the next page starts after it even when the list has
 * changed meanwhile (keyset, not an offset).
 */
interface SupportersCursor {
  time: number;
  same: number;
}

/** The cursor's parts; an unreadable cursor is a 400. */
function parseCursor(cursor: string): SupportersCursor {
  const [time, same] = decodeCursor(cursor, 2);
  return { time, same };
}
