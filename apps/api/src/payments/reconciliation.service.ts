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
import { runSql } from '../database/sql.js';
import { AlipayClient } from './alipay/alipay.client.js';
import { parseBeijingTime } from './alipay/beijing-time.js';
import { CLAIM_LEASE_MS, nextCheckAt } from './check-schedule.js';
import { RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { RefundsService } from './refunds.service.js';
import { SettlementService, type SettlementSource } from './settlement.service.js';

export type CheckResult =
  'settled' | 'already_settled' | 'pending' | 'expired' | 'unknown' | 'mismatch';

const SWEEP_BATCH = 50;

/**
 * Keeps pending Alipay orders honest when notifications do not come: asks Alipay about each
 * due order, settles what was paid, closes and expires what ran out of time, and retries
 * refunds whose outcome is unknown. Safe with any number of API instances: a sweep claims due
 * rows with `FOR UPDATE SKIP LOCKED` and a lease, so no two instances work on one order.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(RewardEntity) private readonly rewards: Repository<RewardEntity>,
    private readonly dataSource: DataSource,
    private readonly alipay: AlipayClient,
    private readonly settlement: SettlementService,
    private readonly refunds: RefundsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.config.reconcileIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
                      WHERE status = 0 AND pay_type = 0 AND next_check_at <= now()
                      ORDER BY next_check_at LIMIT $1
                      FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [SWEEP_BATCH, CLAIM_LEASE_MS],
    );
    if (rows.length === 0) return 0;
    const claimed = await this.rewards.findBy({ id: In(rows.map((row) => row.id)) });
    for (const reward of claimed) {
      await this.checkOrderAtAlipay(reward, 'query');
    }
    return claimed.length;
  }

  /**
   * Asks Alipay about one pending order and acts on the answer. Used by the sweep, the
   * browser's return, a cancel that raced a payment, and the admin's sync.
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
            `ALERT: Alipay reports ${reward.tradeNo} paid with ${totalAmount}, order is ${reward.money} fen; not settled`,
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
      if (tradeStatus === 'TRADE_CLOSED') {
        return (await this.markExpired(reward)) ? 'expired' : 'pending';
      }
    } else if (answer.subCode !== 'ACQ.TRADE_NOT_EXIST') {
      this.logger.warn(
        `query ${reward.tradeNo}: ${answer.code} ${answer.subCode} ${answer.message}`,
      );
    }
    // WAIT_BUYER_PAY, or ACQ.TRADE_NOT_EXIST (the cashier was never opened): unpaid so far.
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
      return (await this.markExpired(reward)) ? 'expired' : 'pending';
    }
    if (closing.kind === 'failed' && closing.subCode === 'ACQ.TRADE_STATUS_ERROR') {
      // Paid between our query and the close: look again right away.
      return this.checkOrderAtAlipay(reward, 'query');
    }
    await this.scheduleNextCheck(reward, now);
    return 'unknown';
  }

  private async markExpired(reward: RewardEntity): Promise<boolean> {
    const { rowCount } = await runSql(
      this.dataSource.manager,
      'UPDATE rewards SET status = $2, next_check_at = NULL, updated_time = now() WHERE id = $1 AND status = $3',
      [reward.id, RewardStatus.Expired, RewardStatus.Pending],
    );
    if (rowCount > 0) this.logger.log(`order ${reward.tradeNo} expired and closed at Alipay`);
    return rowCount > 0;
  }

  private async scheduleNextCheck(reward: RewardEntity, now: Date): Promise<void> {
    await runSql(
      this.dataSource.manager,
      'UPDATE rewards SET next_check_at = $2 WHERE id = $1 AND status = $3',
      [reward.id, nextCheckAt(reward.timeExpire, now), RewardStatus.Pending],
    );
  }
}
