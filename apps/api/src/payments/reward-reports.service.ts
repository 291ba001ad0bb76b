import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { fenFromDatabase, formatFen } from '@renran/money';
import { Repository } from 'typeorm';
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
}

/** Staff reports over orders: payments owns the `rewards` table, so it answers them. */
@Injectable()
export class RewardReportsService {
  constructor(
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    private readonly rewardsService: RewardsService,
  ) {}

  /** Orders newest first, with payer, author and Alipay's trade number. */
  async list(filter: RewardReportFilter) {
    const builder = this.rewards
      .createQueryBuilder('reward')
      .leftJoinAndSelect('reward.article', 'article')
      .leftJoinAndSelect('reward.user', 'payer')
      .leftJoinAndSelect('reward.author', 'author')
      .orderBy('reward.id', 'DESC')
      .skip((filter.page - 1) * filter.page_size)
      .take(filter.page_size);
    if (filter.status !== undefined)
      builder.andWhere('reward.status = :status', { status: filter.status });
    if (filter.article_id)
      builder.andWhere('reward.articleId = :articleId', { articleId: filter.article_id });
    if (filter.user_id) builder.andWhere('reward.userId = :userId', { userId: filter.user_id });
    if (filter.from)
      builder.andWhere('reward.createdTime >= :from', { from: new Date(filter.from) });
    if (filter.to) builder.andWhere('reward.createdTime < :to', { to: new Date(filter.to) });
    const [items, total] = await builder.getManyAndCount();
    return {
      items: items.map((reward) => ({
        ...this.rewardsService.present(reward),
        payer: toPerson(reward.user, false),
        author: toPerson(reward.author, false),
        platform_trade_no: reward.platformTradeNo,
      })),
      total,
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
}
