import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { fenOrNull } from '@renran/money';
import { DataSource, In, Repository } from 'typeorm';
import { InjectConfig } from '../common/app-config.module.js';
import { runSql } from '../common/persistence/sql.js';
import { PeriodicRound } from '../common/periodic-round.js';
import { AlipayClient } from './alipay/alipay.client.js';
import { parseBeijingTime } from './alipay/beijing-time.js';
import { CLAIM_LEASE_MS, nextCheckAt, nextWatchAt } from './check-schedule.js';
import { RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { RefundsService } from './refunds.service.js';
import { SettlementService, type SettlementSource } from './settlement.service.js';

/** `unpaid`: a cancelled or expired order that Alipay still reports unpaid; it stays so. */
export type CheckResult =
  'settled' | 'already_settled' | 'pending' | 'expired' | 'unpaid' | 'unknown' | 'mismatch';

/** Alipay orders reconciliation asks about: pending ones, and cancelled or expired ones it still watches. */
export const CHECKED_STATUSES: readonly RewardStatus[] = [
  RewardStatus.Pending,
  RewardStatus.Cancelled,
  RewardStatus.Expired,
];

const SWEEP_BATCH = 50;

/**
 * Keeps Alipay orders honest when notifications do not come: asks Alipay about each due
 * order, settles what was paid, closes and expires what ran out of time, keeps watching
 * cancelled and expired orders for a while (a payment found then settles late), and retries
 * refunds whose outcome is unknown. Safe with any number of API instances: a sweep claims due
 * rows with `FOR UPDATE SKIP LOCKED` and a lease, so no two instances work on one order.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly rounds = new PeriodicRound(() => this.sweep());

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    private readonly dataSource: DataSource,
    private readonly alipay: AlipayClient,
    private readonly settlement: SettlementService,
    private readonly refunds: RefundsService,
  ) {}

  onApplicationBootstrap(): void {
    this.rounds.start(this.config.reconcileIntervalSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.rounds.stop();
  }

  /** One round: due orders, then due refunds. Errors (database down) wait for the next round. */
  async sweep(): Promise<{ orders: number; refunds: number }> {
    try {
      const orders = await this.reconcileDueOrders();
      const refunds = await this.refunds.retryDueRefunds();
      return { orders, refunds };
    } catch (error) {
      this.logger.warn(`reconciliation round failed: ${(error as Error).message}`);
      return { orders: 0, refunds: 0 };
    }
  }

  async reconcileDueOrders(): Promise<number> {
    const { rows } = await runSql<{ id: number }>(
      this.dataSource.manager,
      `UPDATE rewards SET next_check_at = now() + ($2 * interval '1 millisecond'),
              check_attempts = check_attempts + 1
        WHERE id IN (SELECT id FROM rewards
                      WHERE status = ANY($3) AND pay_type = 0 AND next_check_at <= now()
                      ORDER BY next_check_at LIMIT $1
                      FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [SWEEP_BATCH, CLAIM_LEASE_MS, CHECKED_STATUSES],
    );
    if (rows.length === 0) return 0;
    const claimed = await this.rewards.findBy({ id: In(rows.map((row) => row.id)) });
    for (const reward of claimed) {
      await this.checkOrderAtAlipay(reward, 'query');
    }
    return claimed.length;
  }

  /**
   * Asks Alipay about one pending, cancelled or expired order and acts on the answer. Used by
   * the sweep, the browser's return, a cancel that raced a payment, and the admin's sync.
   */
  async checkOrderAtAlipay(reward: RewardEntity, source: SettlementSource): Promise<CheckResult> {
    const now = new Date();
    const answer = await this.alipay.queryTrade(reward.tradeNo);
    if (answer.kind === 'unknown') {
      await this.scheduleNextCheck(reward, now);
      return 'unknown';
    }
    if (answer.kind === 'ok') {
      const { tradeStatus, totalAmount, tradeNo, sendPayDate } = answer.data;
      if (tradeStatus === 'TRADE_SUCCESS' || tradeStatus === 'TRADE_FINISHED') {
        if (fenOrNull(totalAmount) !== reward.money) {
          this.logger.error(
            { alert: 'amount_mismatch', trade_no: reward.tradeNo },
            `ALERT amount_mismatch: Alipay reports ${reward.tradeNo} paid with ${totalAmount}, order is ${reward.money} fen; not settled`,
          );
          await this.scheduleNextCheck(reward, now);
          return 'mismatch';
        }
        const { settled } = await this.settlement.settlePaidOrder(reward.id, {
          platformTradeNo: tradeNo,
          paidAt: parseBeijingTime(sendPayDate) ?? now,
          source,
        });
        return settled ? 'settled' : 'already_settled';
      }
      if (tradeStatus === 'TRADE_CLOSED' && reward.status === RewardStatus.Pending) {
        return (await this.markExpired(reward, now)) ? 'expired' : 'pending';
      }
    } else if (answer.subCode !== 'ACQ.TRADE_NOT_EXIST') {
      this.logger.warn(
        `query ${reward.tradeNo}: ${answer.code} ${answer.subCode} ${answer.message}`,
      );
    }
    // WAIT_BUYER_PAY, or ACQ.TRADE_NOT_EXIST (the cashier was never opened): unpaid so far.
    if (reward.status !== RewardStatus.Pending) {
      await this.scheduleWatch(reward, now);
      return 'unpaid';
    }
    if (reward.timeExpire.getTime() > now.getTime()) {
      await this.scheduleNextCheck(reward, now);
      return 'pending';
    }
    return this.closeAndExpire(reward, now);
  }

  private async closeAndExpire(reward: RewardEntity, now: Date): Promise<CheckResult> {
    const closing = await this.alipay.closeTrade(reward.tradeNo);
    if (
      closing.kind === 'ok' ||
      (closing.kind === 'failed' && closing.subCode === 'ACQ.TRADE_NOT_EXIST')
    ) {
      return (await this.markExpired(reward, now)) ? 'expired' : 'pending';
    }
    if (closing.kind === 'failed' && closing.subCode === 'ACQ.TRADE_STATUS_ERROR') {
      // Paid between our query and the close: look again right away.
      return this.checkOrderAtAlipay(reward, 'query');
    }
    await this.scheduleNextCheck(reward, now);
    return 'unknown';
  }

  /** Expired, yet still watched until time_expire + 10 minutes. */
  private async markExpired(reward: RewardEntity, now: Date): Promise<boolean> {
    const { rowCount } = await runSql(
      this.dataSource.manager,
      'UPDATE rewards SET status = $2, next_check_at = $4, updated_time = now() WHERE id = $1 AND status = $3',
      [reward.id, RewardStatus.Expired, RewardStatus.Pending, nextWatchAt(reward.timeExpire, now)],
    );
    if (rowCount > 0) this.logger.log(`order ${reward.tradeNo} expired and closed at Alipay`);
    return rowCount > 0;
  }

  /**
   * After an unknown answer: a pending order climbs the ladder; a watched (cancelled or
   * expired) order is asked again within its watch, and on the ladder once the watch is over,
   * since only a definite answer may end it.
   */
  private async scheduleNextCheck(reward: RewardEntity, now: Date): Promise<void> {
    const next =
      reward.status === RewardStatus.Pending
        ? nextCheckAt(reward.timeExpire, now)
        : (nextWatchAt(reward.timeExpire, now) ?? nextCheckAt(reward.timeExpire, now));
    await this.setNextCheck(reward, next);
  }

  /** A cancelled or expired order Alipay reports unpaid: the next minute, or the watch ends. */
  private scheduleWatch(reward: RewardEntity, now: Date): Promise<void> {
    return this.setNextCheck(reward, nextWatchAt(reward.timeExpire, now));
  }

  /** Only while the order is as we read it: a settlement meanwhile has cleared its schedule. */
  private async setNextCheck(reward: RewardEntity, next: Date | null): Promise<void> {
    await runSql(
      this.dataSource.manager,
      'UPDATE rewards SET next_check_at = $2 WHERE id = $1 AND status = $3',
      [reward.id, next, reward.status],
    );
  }
}
