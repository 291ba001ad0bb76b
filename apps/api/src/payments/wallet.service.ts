import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fenFromDatabase, formatFen } from '@renran/money';
import { In, Repository } from 'typeorm';
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

  /** GET /users/me/wallet: the balance, the tips given (all statuses) and received (paid). */
  async wallet(user: UserEntity, page: number, pageSize: number) {
    const [[given, givenTotal], [received, receivedTotal]] = await Promise.all([
      this.rewards.findAndCount({
        where: { userId: user.id },
        relations: { article: true },
        order: { id: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
      this.rewards.findAndCount({
        where: { authorId: user.id, status: In([RewardStatus.Paid, RewardStatus.Refunded]) },
        relations: { article: true, user: true },
        order: { paidAt: 'DESC', id: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    ]);
    return {
      money: formatFen(user.money),
      given: {
        items: given.map((reward) => this.rewardsService.present(reward)),
        total: givenTotal,
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
        total: receivedTotal,
      },
    };
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
   */
  async supporters(
    articleId: number,
    viewer: UserEntity | undefined,
    paging: { page: number; page_size: number; cursor?: string },
  ) {
    // The article (missing or unpublished: 404) and its supporters in one query, the same for
    // every viewer (what each one may see is picked below), so cached (SupportersCache).
    const found = await this.supportersCache.get(articleId, () => this.loadSupporters(articleId));
    if (found.length === 0) throw new NotFoundException('文章不存在或尚未发布');
    const rows = found.filter(
      (row): row is SupporterRow & { author_id: number } => row.user_id !== null,
    );
    const viewerIsAuthor = viewer?.id === found[0].author_id;
    const start = paging.cursor
      ? startAfter(rows, paging.cursor)
      : (paging.page - 1) * paging.page_size;
    const shown = rows.slice(start, start + paging.page_size);
    return {
      count: rows.length,
      next_cursor:
        start + shown.length < rows.length ? cursorAt(rows, start + shown.length - 1) : null,
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
   * One row per named payer and one per anonymous tip, each with the article's author; no rows
   * when the article is missing or unpublished. Anonymous rows carry no name or avatar at all.
   */
  private loadSupporters(
    articleId: number,
  ): Promise<Array<{ author_id: number } & (SupporterRow | { user_id: null })>> {
    return this.rewards.query(
      `SELECT a.user_id AS author_id, s.*
       FROM articles a
       LEFT JOIN LATERAL (
         SELECT r.user_id, u.username, u.nickname, u.avatar,
                false AS anonymous, max(r.paid_at) AS time, sum(r.money) AS total,
                (array_agg(r.message ORDER BY r.paid_at DESC))[1] AS message
           FROM rewards r JOIN users u ON u.id = r.user_id
          WHERE r.article_id = a.id AND r.status = $2 AND NOT r.anonymous
          GROUP BY r.user_id, u.username, u.nickname, u.avatar
         UNION ALL
         SELECT r.user_id, NULL, NULL, NULL,
                true, r.paid_at, r.money, r.message
           FROM rewards r
          WHERE r.article_id = a.id AND r.status = $2 AND r.anonymous
       ) s ON true
      WHERE a.id = $1 AND a.is_public
      ORDER BY s.time DESC NULLS LAST, s.anonymous, s.user_id`,
      [articleId, RewardStatus.Paid],
    );
  }
}

/**
 * The cursor after row `index` of supporters ordered by time, newest first: its time and how
 * many rows of that same time come up to it, so that the next page starts after it even when
 * the list has changed meanwhile (keyset, not an offset).
 */
function cursorAt(rows: Array<{ time: Date }>, index: number): string {
  const time = rows[index].time.getTime();
  let same = 0;
  for (let i = index; i >= 0 && rows[i].time.getTime() === time; i--) same++;
  return Buffer.from(`${time}.${same}`).toString('base64url');
}

/** Where the page after `cursor` starts; an unreadable cursor is a 400. */
function startAfter(rows: Array<{ time: Date }>, cursor: string): number {
  const match = /^(\d{1,15})\.(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadRequestException('cursor 无效');
  const time = Number(match[1]);
  const first = rows.findIndex((row) => row.time.getTime() <= time);
  if (first === -1) return rows.length;
  return rows[first].time.getTime() === time ? first + Number(match[2]) : first;
}
