import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fenFromDatabase, formatFen } from '@renran/money';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { toPerson } from './dto/reward-responses.js';
import { RewardEntity } from './entities/reward.entity.js';
import { RewardsService } from './rewards.service.js';

/** Which orders a staff report lists (GET /admin/rewards); each filter is optional. */
export interface RewardReportFilter {
  status?: number;
  article_id?: number;
  /** The payer. */
  user_id?: number;
  /** Created on or after (ISO 8601). */
  from?: string;
  /** Created before (ISO 8601). */
  to?: string;
  page: number;
  page_size: number;
  /** next_cursor of the page before (then page is ignored). */
  cursor?: string;
}

/** Staff reports over orders: payments owns the `rewards` table, so it answers them. */
@Injectable()
export class RewardReportsService {
  constructor(
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    private readonly rewardsService: RewardsService,
  ) {}

  /**
   * Orders newest first, with payer, author and Alipay's trade number: one page by number or
   * after `cursor` (the id of the last order shown), read in one query along an index in id
   * order (rewards_article_status_id_idx, rewards_status_id_idx, rewards_user_id_idx or the
   * primary key), and the filter's count.
   */
  async list(filter: RewardReportFilter) {
    const [afterId] = filter.cursor ? decodeCursor(filter.cursor, 1) : [];
    const page = this.filtered(filter)
      .leftJoinAndSelect('reward.article', 'article')
      .leftJoinAndSelect('reward.user', 'payer')
      .leftJoinAndSelect('reward.author', 'author')
      .orderBy('reward.id', 'DESC')
      // limit/offset, not take/skip: the joins are many-to-one, so one query serves the page
      // (take/skip would first select the page's ids in a query of their own). One row beyond
      // the page says whether there is a next one.
      .limit(filter.page_size + 1);
    if (afterId === undefined) page.offset((filter.page - 1) * filter.page_size);
    else page.andWhere('reward.id < :afterId', { afterId });
    const [rows, counted] = await Promise.all([
      page.getMany(),
      this.filtered(filter).select('count(*)::int', 'total').getRawOne<{ total: number }>(),
    ]);
    const items = rows.slice(0, filter.page_size);
    return {
      items: items.map((reward) => ({
        ...this.rewardsService.present(reward),
        payer: toPerson(reward.user, false),
        author: toPerson(reward.author, false),
        platform_trade_no: reward.platformTradeNo,
      })),
      total: counted?.total ?? 0,
      next_cursor: rows.length > items.length ? encodeCursor([items.at(-1)!.id]) : null,
    };
  }

  /** The orders the filter selects, for the page and for its count alike. */
  private filtered(filter: RewardReportFilter): SelectQueryBuilder<RewardEntity> {
    const builder = this.rewards.createQueryBuilder('reward');
    if (filter.status !== undefined)
      builder.andWhere('reward.status = :status', { status: filter.status });
    if (filter.article_id)
      builder.andWhere('reward.articleId = :articleId', { articleId: filter.article_id });
    if (filter.user_id) builder.andWhere('reward.userId = :userId', { userId: filter.user_id });
    if (filter.from)
      builder.andWhere('reward.createdTime >= :from', { from: new Date(filter.from) });
    if (filter.to) builder.andWhere('reward.createdTime < :to', { to: new Date(filter.to) });
    return builder;
  }

  /** Totals by day (Beijing time) and status. */
  async stats() {
    const rows: { day: string; status: number; orders: number; amount: string }[] =
      await this.rewards.query(
        `SELECT to_char(created_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, status,
              count(*)::int AS orders, sum(money) AS amount
         FROM rewards GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      );
    const totals = new Map<number, { orders: number; amount: number }>();
    for (const row of rows) {
      const total = totals.get(row.status) ?? { orders: 0, amount: 0 };
      total.orders += row.orders;
      total.amount += fenFromDatabase(row.amount);
      totals.set(row.status, total);
    }
    return {
      by_day: rows.map((row) => ({
        day: row.day,
        status: row.status,
        orders: row.orders,
        amount: formatFen(fenFromDatabase(row.amount)),
      })),
      by_status: [...totals.entries()].map(([status, total]) => ({
        status,
        orders: total.orders,
        amount: formatFen(total.amount),
      })),
    };
  }
}
