import { Injectable } from '@nestjs/common';
import { fenFromDatabase, formatFen } from '@renran/money';
import { DataSource } from 'typeorm';
import { PayType, RewardEntity } from '../payments/entities/reward.entity.js';
import { RewardsService } from '../payments/rewards.service.js';
import { CHECKED_STATUSES, ReconciliationService } from '../payments/reconciliation.service.js';
import { RefundsService } from '../payments/refunds.service.js';
import { toPerson } from '../payments/dto/reward-responses.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import type { AdminRewardsQuery } from './dto/admin-rewards.query.js';

@Injectable()
export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rewards: RewardsService,
    private readonly refunds: RefundsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async listRewards(query: AdminRewardsQuery) {
    const builder = this.dataSource
      .getRepository(RewardEntity)
      .createQueryBuilder('reward')
      .leftJoinAndSelect('reward.article', 'article')
      .leftJoinAndSelect('reward.user', 'payer')
      .leftJoinAndSelect('reward.author', 'author')
      .orderBy('reward.id', 'DESC')
      .skip((query.page - 1) * query.page_size)
      .take(query.page_size);
    if (query.status !== undefined)
      builder.andWhere('reward.status = :status', { status: query.status });
    if (query.article_id)
      builder.andWhere('reward.articleId = :articleId', { articleId: query.article_id });
    if (query.user_id) builder.andWhere('reward.userId = :userId', { userId: query.user_id });
    if (query.from) builder.andWhere('reward.createdTime >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('reward.createdTime < :to', { to: new Date(query.to) });
    const [items, total] = await builder.getManyAndCount();
    return {
      items: items.map((reward) => ({
        ...this.rewards.present(reward),
        payer: toPerson(reward.user, false),
        author: toPerson(reward.author, false),
        platform_trade_no: reward.platformTradeNo,
      })),
      total,
    };
  }

  /**
   * Asks Alipay about the order now (pending, or cancelled / expired and perhaps paid late),
   * and retries a pending refund, then shows it.
   */
  async sync(staff: UserEntity, tradeNo: string) {
    const reward = await this.rewards.findVisible(staff, tradeNo);
    const checked =
      CHECKED_STATUSES.includes(reward.status) && reward.payType === PayType.Alipay
        ? await this.reconciliation.checkOrderAtAlipay(reward, 'query')
        : 'unchanged';
    const refund = await this.refunds.findForReward(reward.id);
    if (refund?.status === 'pending') await this.refunds.retry(refund.id);
    return { checked, order: await this.rewards.getVisibleOrder(staff, tradeNo) };
  }

  async refund(staff: UserEntity, tradeNo: string) {
    await this.refunds.requestRefund(staff, tradeNo);
    return this.rewards.getVisibleOrder(staff, tradeNo);
  }

  /** Totals by day (Beijing time) and status. */
  async stats() {
    const rows: { day: string; status: number; orders: number; amount: string }[] =
      await this.dataSource.query(
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
