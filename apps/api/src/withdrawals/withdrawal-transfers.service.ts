import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AppConfig } from '@renran/config';
import { DataSource, Repository } from 'typeorm';
import { InjectConfig } from '../common/app-config.module.js';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { runSql } from '../common/persistence/sql.js';
import { PeriodicRound } from '../common/periodic-round.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { AlipayClient } from '../payments/alipay/alipay.client.js';
import { CLAIM_LEASE_MS, nextCheckAt } from '../payments/check-schedule.js';
import { WithdrawalEntity, WithdrawalStatus } from './entities/withdrawal.entity.js';
import { afterQuery, afterTransfer, type TransferStep } from './transfer-outcome.js';
import { reversalMovement } from './withdrawal-movements.js';

/** A transfer is asked about every minute for this long, then on the orders' ladder. */
const MINUTE_CHECKS_MS = 10 * 60_000;
const SWEEP_BATCH = 20;

/**
 * Moves approved withdrawals out to Alipay (alipay.fund.trans.uni.transfer) and finds out
 * what became of them. A withdrawal is marked processing, with its first check scheduled,
 * before the transfer is sent: a crash at any point leaves it on the query ladder, and the
 * query (alipay.fund.trans.common.query) settles it. The transfer is sent again only when the
 * query says Alipay has none of this out_biz_no, and always with the same out_biz_no, so
 * Alipay pays it at most once. Safe with several API instances: the sweep claims due rows
 * with FOR UPDATE SKIP LOCKED and a lease, like the orders' reconciliation.
 */
@Injectable()
export class WithdrawalTransfersService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WithdrawalTransfersService.name);
  private readonly rounds = new PeriodicRound(() => this.sweep());

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(WithdrawalEntity)
    private readonly withdrawals: Repository<WithdrawalEntity>,
    private readonly dataSource: DataSource,
    private readonly events: AfterCommitEvents,
    private readonly ledger: LedgerService,
    private readonly alipay: AlipayClient,
  ) {}

  onApplicationBootstrap(): void {
    this.rounds.start(this.config.reconcileIntervalSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.rounds.stop();
  }

  /**
   * Pending → processing (approved by `staffId`, or null when WITHDRAW_AUTO_MAX let it skip
   * review), then the first transfer inside the caller's request. False when it was no
   * longer pending.
   */
  async approve(withdrawalId: number, staffId: number | null): Promise<boolean> {
    const { rows } = await runSql<{ id: number }>(
      this.dataSource.manager,
      `UPDATE withdrawals
          SET status = $2, reviewed_by = $3, transfer_started_at = now(),
              next_check_at = now() + interval '1 minute', updated_time = now()
        WHERE id = $1 AND status = $4
        RETURNING id`,
      [withdrawalId, WithdrawalStatus.Processing, staffId, WithdrawalStatus.Pending],
    );
    if (rows.length === 0) return false;
    await this.send(await this.withdrawals.findOneByOrFail({ id: withdrawalId }));
    return true;
  }

  /** Due processing withdrawals: asked about at Alipay, one instance per row. */
  async sweep(): Promise<number> {
    try {
      const { rows } = await runSql<{ id: number }>(
        this.dataSource.manager,
        `UPDATE withdrawals SET next_check_at = now() + ($2 * interval '1 millisecond')
          WHERE id IN (SELECT id FROM withdrawals
                        WHERE status = $3 AND next_check_at <= now()
                        ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [SWEEP_BATCH, CLAIM_LEASE_MS, WithdrawalStatus.Processing],
      );
      for (const { id } of rows) await this.check(id);
      return rows.length;
    } catch (error) {
      this.logger.warn(`withdrawal round failed: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Asks Alipay about one processing withdrawal now (sweep, or staff's sync). */
  async check(withdrawalId: number): Promise<void> {
    const withdrawal = await this.withdrawals.findOneByOrFail({ id: withdrawalId });
    if (withdrawal.status !== WithdrawalStatus.Processing) return;
    const step = afterQuery(await this.alipay.queryTransfer(withdrawal.outBizNo));
    if (step.action === 'send') {
      this.logger.warn(`withdrawal ${withdrawal.id}: Alipay has no transfer yet; sending it`);
      return this.send(withdrawal);
    }
    await this.apply(withdrawal, step);
  }

  private async send(withdrawal: WithdrawalEntity): Promise<void> {
    const answer = await this.alipay.transfer({
      outBizNo: withdrawal.outBizNo,
      amountFen: withdrawal.amount,
      payeeLogonId: withdrawal.payeeAccount,
      payeeName: withdrawal.payeeName,
      orderTitle: '荏苒资讯作者收益提现',
      remark: `提现 #${withdrawal.id}`,
    });
    await this.apply(withdrawal, afterTransfer(answer));
  }

  private async apply(withdrawal: WithdrawalEntity, step: TransferStep): Promise<void> {
    switch (step.action) {
      case 'succeed':
        return this.succeed(withdrawal, step.orderId);
      case 'fail':
        return this.fail(withdrawal, step.reason);
      case 'ask_again':
      case 'send':
        return this.scheduleCheck(withdrawal);
    }
  }

  /** The money reached the author's Alipay: final, and nothing more in the ledger. */
  private async succeed(withdrawal: WithdrawalEntity, orderId: string | null): Promise<void> {
    const { rowCount } = await runSql(
      this.dataSource.manager,
      `UPDATE withdrawals SET status = $2, platform_order_id = $3, next_check_at = NULL,
              finished_time = now(), updated_time = now()
        WHERE id = $1 AND status = $4`,
      [withdrawal.id, WithdrawalStatus.Succeeded, orderId, WithdrawalStatus.Processing],
    );
    if (rowCount > 0) this.logger.log(`withdrawal ${withdrawal.id} paid out`);
  }

  /** A definite failure: failed, and the reserve back to the author in the same transaction. */
  private fail(withdrawal: WithdrawalEntity, reason: string): Promise<void> {
    return this.events.transaction(async (manager) => {
      // Locks: the withdrawal, then (in the ledger) the author.
      const { rows } = await runSql<{ id: number }>(
        manager,
        `UPDATE withdrawals SET status = $2, failure_reason = $3, next_check_at = NULL,
                finished_time = now(), updated_time = now()
          WHERE id = $1 AND status = $4
          RETURNING id`,
        [withdrawal.id, WithdrawalStatus.Failed, reason.slice(0, 200), WithdrawalStatus.Processing],
      );
      if (rows.length === 0) return;
      await this.ledger.post(manager, reversalMovement(withdrawal));
      this.logger.warn(`withdrawal ${withdrawal.id} failed at Alipay: ${reason}`);
    });
  }

  private async scheduleCheck(withdrawal: WithdrawalEntity): Promise<void> {
    const started = withdrawal.transferStartedAt ?? new Date();
    const next = nextCheckAt(new Date(started.getTime() + MINUTE_CHECKS_MS), new Date());
    await runSql(
      this.dataSource.manager,
      'UPDATE withdrawals SET next_check_at = $2 WHERE id = $1 AND status = $3',
      [withdrawal.id, next, WithdrawalStatus.Processing],
    );
  }
}
