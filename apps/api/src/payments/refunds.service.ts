import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, type EntityManager } from 'typeorm';
import { ArticlesService } from '../articles/articles.service.js';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { runSql } from '../common/persistence/sql.js';
import {
  InsufficientBalanceError,
  LedgerService,
  type LedgerLeg,
} from '../ledger/ledger.service.js';
import type { UserEntity } from '../users/entities/user.entity.js';
import { AlipayClient } from './alipay/alipay.client.js';
import type { RefundFacts } from './alipay/notification-decision.js';
import { decideRefund } from './alipay/refund-decision.js';
import { CLAIM_LEASE_MS, REFUND_RETRY_MS } from './check-schedule.js';
import { RefundEntity } from './entities/refund.entity.js';
import { PayType, RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { RewardStatusChanged } from './payments.events.js';
import { SupportersSummary } from './supporters-summary.js';

/**
 * Full refunds of paid tips, by staff, one per order. Reserve, then confirm: creating the
 * refund debits the author at once (409 when the balance cannot cover it); Alipay's answer
 * marks it succeeded (fund_change Y, or confirmed by fastpay.refund.query) or failed, which
 * reverses the debit. An unknown outcome stays pending and is retried with the same
 * out_request_no, so Alipay moves the money at most once, and once an attempt's outcome was
 * unknown the reserve is reversed only after the refund query finds no refund. A
 * balance-paid tip is refunded to the payer's balance inside one transaction. Refunds made
 * outside the system are booked from their notice (`bookExternalRefund`).
 *
 * Every transaction here locks rows in the one order of DESIGN.md: rewards → refunds →
 * articles → users (ascending id; the ledger takes the users last).
 */
@Injectable()
export class RefundsService {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    @InjectRepository(RefundEntity) private readonly refunds: Repository<RefundEntity>,
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly alipay: AlipayClient,
    private readonly articles: ArticlesService,
    private readonly events: AfterCommitEvents,
    private readonly supporters: SupportersSummary,
  ) {}

  async requestRefund(staff: UserEntity, tradeNo: string): Promise<RefundEntity> {
    const { refund, reward } = await this.events.transaction(async (manager) => {
      // Locks: the order, then its refund, then (balance tips) the article, then the users.
      const reward = await manager.findOne(RewardEntity, {
        where: { tradeNo },
        lock: { mode: 'pessimistic_write' },
      });
      if (!reward) throw new NotFoundException('订单不存在');
      if (reward.status !== RewardStatus.Paid) {
        throw new ConflictException('只有已付款的订单可以退款');
      }
      const existing = await manager.findOne(RefundEntity, {
        where: { rewardId: reward.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (existing?.status === 'pending' || existing?.status === 'succeeded') {
        throw new ConflictException(`该订单已有退款（${existing.status}）`);
      }
      // A failed refund may be requested again: same out_request_no, a new ledger round.
      const refund =
        existing ??
        manager.create(RefundEntity, {
          rewardId: reward.id,
          outRequestNo: `R${reward.tradeNo}`,
          amount: reward.money,
          attempt: 0,
          requestedBy: staff.id,
        });
      refund.attempt += 1;
      refund.status = 'pending';
      refund.failureReason = null;
      refund.nextCheckAt = new Date(Date.now() + CLAIM_LEASE_MS);
      const saved = await manager.save(refund);
      if (reward.payType === PayType.Balance) {
        // Nothing to ask Alipay: succeeded at once, the article's count before the balances.
        await this.markRefunded(manager, saved, reward);
      }
      try {
        await this.ledger.post(manager, {
          movement: `refund:${saved.id}:${saved.attempt}:reserve`,
          kind: 'refund',
          rewardId: reward.id,
          refundId: saved.id,
          legs: [
            { account: 'user', userId: reward.authorId, amount: -reward.money, role: 'author' },
            this.destination(reward, reward.money),
          ],
        });
      } catch (error) {
        if (error instanceof InsufficientBalanceError) {
          throw new ConflictException('作者余额不足以退款');
        }
        throw error;
      }
      return { refund: saved, reward };
    });
    if (reward.payType === PayType.Alipay) {
      await this.askAlipay(refund, reward, false);
    }
    return this.refunds.findOneByOrFail({ id: refund.id });
  }

  /** Pending refunds whose retry time has come; claimed like orders, safe across instances. */
  async retryDueRefunds(): Promise<number> {
    const { rows } = await runSql<{ id: number }>(
      this.dataSource.manager,
      `UPDATE refunds SET next_check_at = now() + ($1 * interval '1 millisecond')
        WHERE id IN (SELECT id FROM refunds WHERE status = 'pending' AND next_check_at <= now()
                      ORDER BY next_check_at LIMIT 20 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [CLAIM_LEASE_MS],
    );
    for (const { id } of rows) {
      await this.retry(id);
    }
    return rows.length;
  }

  /**
   * Asks Alipay again about one pending refund (sweep or admin sync). A refund still pending
   * here is one whose earlier attempt had an unknown outcome (a lost or unclear answer, or a
   * process that stopped before the answer came): that attempt may have moved the money.
   */
  async retry(refundId: number): Promise<RefundEntity> {
    const refund = await this.refunds.findOneByOrFail({ id: refundId });
    if (refund.status === 'pending') {
      const reward = await this.dataSource.manager.findOneByOrFail(RewardEntity, {
        id: refund.rewardId,
      });
      await this.askAlipay(refund, reward, true);
    }
    return this.refunds.findOneByOrFail({ id: refundId });
  }

  findForReward(rewardId: number): Promise<RefundEntity | null> {
    return this.refunds.findOneBy({ rewardId });
  }

  /**
   * What a refund notice's decision needs to know, inside the notification's transaction,
   * whose caller already holds the order's row lock. Takes the further locks an external
   * refund needs in the one order (refunds → articles → users), so the balance it reads
   * still holds when the refund is booked.
   */
  async refundFactsWithin(manager: EntityManager, reward: RewardEntity): Promise<RefundFacts> {
    // A failed refund of ours gave its reserve back and left the order paid: a refund made
    // outside afterwards is as unbooked as one on an order we never tried to refund.
    const { rows: ours } = await runSql<{ status: string }>(
      manager,
      'SELECT status FROM refunds WHERE reward_id = $1 FOR UPDATE',
      [reward.id],
    );
    if (ours.some((row) => row.status !== 'failed'))
      return { hasRefundRow: true, authorBalance: 0 };
    await this.articles.lockForUpdate(manager, reward.articleId);
    const authorBalance = await this.ledger.lockBalance(manager, reward.authorId);
    return { hasRefundRow: false, authorBalance };
  }

  /**
   * Books a refund made outside the system (Alipay's merchant console), told by a verified
   * notice: a refund row marked succeeded and external, the author debited through the
   * ledger, the order refunded. The caller holds the locks `refundFactsWithin` took.
   */
  async bookExternalRefund(
    manager: EntityManager,
    reward: RewardEntity,
    refundFen: number,
    outBizNo: string | undefined,
  ): Promise<RefundEntity> {
    // One refund row per order: an earlier failed attempt of ours becomes the booked one.
    const failed = await manager.findOneBy(RefundEntity, { rewardId: reward.id, status: 'failed' });
    const refund = await manager.save(
      failed
        ? manager.merge(RefundEntity, failed, {
            amount: refundFen,
            status: 'succeeded',
            attempt: failed.attempt + 1,
            external: true,
            failureReason: null,
            nextCheckAt: null,
          })
        : manager.create(RefundEntity, {
            rewardId: reward.id,
            outRequestNo: await this.freeOutRequestNo(manager, outBizNo ?? reward.tradeNo, reward),
            amount: refundFen,
            status: 'succeeded',
            attempt: 1,
            external: true,
            requestedBy: null,
            nextCheckAt: null,
          }),
    );
    await this.markRefunded(manager, refund, reward);
    await this.ledger.post(manager, {
      movement: `refund:${refund.id}:external`,
      kind: 'refund',
      rewardId: reward.id,
      refundId: refund.id,
      legs: [
        { account: 'user', userId: reward.authorId, amount: -refundFen, role: 'author' },
        { account: 'alipay', amount: refundFen, role: 'alipay' },
      ],
    });
    return refund;
  }

  private async askAlipay(
    refund: RefundEntity,
    reward: RewardEntity,
    earlierOutcomeUnknown: boolean,
  ): Promise<void> {
    const answer = await this.alipay.refund(reward.tradeNo, refund.amount, refund.outRequestNo);
    let decision = decideRefund({ answer, earlierOutcomeUnknown });
    if (decision.action === 'query') {
      // Only the refund query can say whether the money moved (fund_change N, a repeat, an
      // unknown answer, or a refusal after an attempt whose outcome is unknown).
      const check = await this.alipay.queryRefund(reward.tradeNo, refund.outRequestNo);
      decision = decideRefund({ answer, check, earlierOutcomeUnknown });
    }
    switch (decision.action) {
      case 'confirm':
        return this.confirm(refund);
      case 'reverse':
        return this.fail(refund, decision.reason);
      case 'ask_again':
      case 'query':
        await runSql(
          this.dataSource.manager,
          'UPDATE refunds SET next_check_at = $2 WHERE id = $1',
          [refund.id, new Date(Date.now() + REFUND_RETRY_MS)],
        );
        this.logger.warn(`refund ${refund.outRequestNo}: outcome not known yet, will ask again`);
    }
  }

  private confirm(refund: RefundEntity): Promise<void> {
    return this.events.transaction(async (manager) => {
      // Locks: the order, then its refund, then the article.
      const reward = await this.lockReward(manager, refund.rewardId);
      const pending = await this.lockPending(manager, refund.id);
      if (!pending) return;
      await this.markRefunded(manager, pending, reward);
    });
  }

  /** The refund succeeded: the order is refunded and no longer counts on its article. */
  private async markRefunded(
    manager: EntityManager,
    refund: RefundEntity,
    reward: RewardEntity,
  ): Promise<void> {
    await runSql(
      manager,
      `UPDATE refunds SET status = 'succeeded', next_check_at = NULL, updated_time = now() WHERE id = $1`,
      [refund.id],
    );
    await runSql(manager, 'UPDATE rewards SET status = $2, updated_time = now() WHERE id = $1', [
      reward.id,
      RewardStatus.Refunded,
    ]);
    await this.articles.countReward(manager, reward.articleId, -1);
    await this.supporters.removeRefunded(manager, reward);
    this.events.publish(manager, new RewardStatusChanged(reward.id, reward.articleId, 'refunded'));
    this.logger.log(`refund ${refund.outRequestNo} succeeded`);
  }

  private fail(refund: RefundEntity, reason: string): Promise<void> {
    return this.events.transaction(async (manager) => {
      // Locks: the order, then its refund, then the users (in the ledger).
      const reward = await this.lockReward(manager, refund.rewardId);
      const pending = await this.lockPending(manager, refund.id);
      if (!pending) return;
      await runSql(
        manager,
        `UPDATE refunds SET status = 'failed', failure_reason = $2, next_check_at = NULL, updated_time = now() WHERE id = $1`,
        [pending.id, reason.slice(0, 200)],
      );
      // Give the reserved money back to the author.
      await this.ledger.post(manager, {
        movement: `refund:${pending.id}:${pending.attempt}:reverse`,
        kind: 'refund_reversal',
        rewardId: reward.id,
        refundId: pending.id,
        legs: [
          { account: 'user', userId: reward.authorId, amount: reward.money, role: 'author' },
          this.destination(reward, -reward.money),
        ],
      });
      this.logger.warn(`refund ${pending.outRequestNo} failed at Alipay: ${reason}`);
    });
  }

  private lockReward(manager: EntityManager, rewardId: number): Promise<RewardEntity> {
    return manager.findOneOrFail(RewardEntity, {
      where: { id: rewardId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private lockPending(manager: EntityManager, refundId: number): Promise<RefundEntity | null> {
    return manager.findOne(RefundEntity, {
      where: { id: refundId, status: 'pending' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Alipay's out_request_no is unique per trade only; ours are unique across all refunds.
   * An external one that another order's refund already uses gets the order's id appended.
   */
  private async freeOutRequestNo(
    manager: EntityManager,
    wanted: string,
    reward: RewardEntity,
  ): Promise<string> {
    const taken = await manager.existsBy(RefundEntity, { outRequestNo: wanted });
    return taken ? `${wanted.slice(0, 50)}:${reward.id}` : wanted;
  }

  /** Where refunded money goes: back out to Alipay, or back to the payer's balance. */
  private destination(reward: RewardEntity, amount: number): LedgerLeg {
    return reward.payType === PayType.Balance
      ? { account: 'user', userId: reward.userId, amount, role: 'payer' }
      : { account: 'alipay', amount, role: 'alipay' };
  }
}
