import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fenFromDatabase, formatFen } from '@renran/money';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import { boundedTotal, COUNT_CAP } from '../common/bounded-count.js';
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
   * after `cursor` (the id of the last order shown), in one query, and the filter's count
   * (bounded: common/bounded-count.ts).
   */
  async list(filter: RewardReportFilter) {
    const [afterId] = filter.cursor ? decodeCursor(filter.cursor, 1) : [];
    // The page's ids first, by an index-only scan along the filter's index in id order
    // (rewards_article_status_id_idx, rewards_status_id_idx, rewards_user_id_idx); then only
    // those rows and their people. Asked for whole rows at once, the planner walks the primary
    // key backwards instead, filtering every newer order out (100,180 pending ones at scale).
    // One row beyond the page says whether there is a next one.
    const ids = this.filtered(filter, 'picked')
      .select('picked.id')
      .orderBy('picked.id', 'DESC')
      .limit(filter.page_size + 1);
    if (afterId === undefined) ids.offset((filter.page - 1) * filter.page_size);
    else ids.andWhere('picked.id < :afterId', { afterId });
    const page = this.rewards
      .createQueryBuilder('reward')
      .leftJoinAndSelect('reward.article', 'article')
      .leftJoinAndSelect('reward.user', 'payer')
      .leftJoinAndSelect('reward.author', 'author')
      .where(`reward.id IN (${ids.getQuery()})`)
      .setParameters(ids.getParameters())
      .orderBy('reward.id', 'DESC');
    const [rows, total] = await Promise.all([page.getMany(), this.boundedCount(filter)]);
    const items = rows.slice(0, filter.page_size);
    return {
      items: items.map((reward) => ({
        ...this.rewardsService.present(reward),
        payer: toPerson(reward.user, false),
        author: toPerson(reward.author, false),
        platform_trade_no: reward.platformTradeNo,
      })),
      ...total,
      next_cursor: rows.length > items.length ? encodeCursor([items.at(-1)!.id]) : null,
    };
  }

  /**
   * Totals by day (Beijing time, of the order's creation) and status, read from
   * `reward_daily_stats`, which a trigger on `rewards` keeps in every transaction that adds an
   * order or changes its status (migration 1765000000000): a few rows per day instead of a scan
   * of every order. A day and status whose orders all moved on sum to 0 and are left out, as
   * the scan never saw them.
   */
  async stats() {
    const rows: { day: string; status: number; orders: number; amount: string }[] =
      await this.rewards.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, status,
                sum(orders)::int AS orders, sum(amount) AS amount
           FROM reward_daily_stats GROUP BY day, status HAVING sum(orders) <> 0
          ORDER BY day DESC, status`,
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

  /** The filter's count, exact up to COUNT_CAP (an exact one reads 10^6 entries for status=1). */
  private async boundedCount(filter: RewardReportFilter) {
    const [sql, parameters] = this.filtered(filter, 'counted')
      .select('1')
      .limit(COUNT_CAP + 1)
      .getQueryAndParameters();
    const [{ counted }] = await this.rewards.manager.query<{ counted: number }[]>(
      `SELECT count(*)::int AS counted FROM (${sql}) capped`,
      parameters,
    );
    return boundedTotal(counted);
  }

  /** The orders the filter selects, under `alias`: for the page and for its count alike. */
  private filtered(filter: RewardReportFilter, alias: string): SelectQueryBuilder<RewardEntity> {
    const builder = this.rewards.createQueryBuilder(alias);
    if (filter.status !== undefined)
      builder.andWhere(`${alias}.status = :status`, { status: filter.status });
    if (filter.article_id)
      builder.andWhere(`${alias}.articleId = :articleId`, { articleId: filter.article_id });
    if (filter.user_id) builder.andWhere(`${alias}.userId = :userId`, { userId: filter.user_id });
    if (filter.from)
      builder.andWhere(`${alias}.createdTime >= :from`, { from: new Date(filter.from) });
    if (filter.to) builder.andWhere(`${alias}.createdTime < :to`, { to: new Date(filter.to) });
    return builder;
  }
}
