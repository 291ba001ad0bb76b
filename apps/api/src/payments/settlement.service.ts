import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ArticlesService } from '../articles/articles.service.js';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { runSql } from '../common/persistence/sql.js';
import { LedgerService, type LedgerLeg } from '../ledger/ledger.service.js';
import { PayType, RewardEntity, RewardStatus } from './entities/reward.entity.js';
import { RewardStatusChanged } from './payments.events.js';
import { SupportersSummary } from './supporters-summary.js';

export type SettlementSource = 'notify' | 'return' | 'query' | 'balance';

export interface PaymentFacts {
  /** Alipay's trade_no; null for balance payments. */
  platformTradeNo: string | null;
  paidAt: Date;
  source: SettlementSource;
}

export interface SettlementResult {
  /** False when the order was already settled: nothing moved this time. */
  settled: boolean;
  reward: RewardEntity;
}

/**
 * The one place a tip is settled, whichever path learned of the payment (notification,
 * return, query, balance). In one transaction with the order row locked: leave if already
 * settled; mark it paid and count the tip on the article; credit the author and debit the
 * source in the ledger (one SQL statement per balance). Duplicates, concurrent calls and
 * several API instances all end with the money moved exactly once; the ledger's unique entry
 * keys would refuse a second settlement even if the status check were bypassed.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);

  constructor(
    private readonly events: AfterCommitEvents,
    private readonly ledger: LedgerService,
    private readonly articles: ArticlesService,
    private readonly supporters: SupportersSummary,
  ) {}

  /** Settles in its own transaction. */
  settlePaidOrder(rewardId: number, facts: PaymentFacts): Promise<SettlementResult> {
    return this.events.transaction((manager) => this.settleWithin(manager, rewardId, facts));
  }

  /** Settles inside the caller's transaction (balance payments, returns, queries). */
  async settleWithin(
    manager: EntityManager,
    rewardId: number,
    facts: PaymentFacts,
  ): Promise<SettlementResult> {
    const reward = await manager.findOne(RewardEntity, {
      where: { id: rewardId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!reward) {
      throw new Error(`settlement of unknown reward ${rewardId}`);
    }
    return this.settleLocked(manager, reward, facts);
  }

  /**
   * Settles an order whose row the caller has just read `FOR UPDATE` in this transaction
   * (verified notifications lock it before deciding). The rows every tip of an article and
   * of its author share — the article's count, the author's balance — are changed last, so
   * concurrent settlements for one author wait on them for as short a time as possible.
   * Locks follow the one order of DESIGN.md: the order (held), then the article, then the
   * users by ascending id (the ledger); a refund takes them in the same order.
   */
  async settleLocked(
    manager: EntityManager,
    reward: RewardEntity,
    facts: PaymentFacts,
  ): Promise<SettlementResult> {
    if (reward.status === RewardStatus.Paid || reward.status === RewardStatus.Refunded) {
      return { settled: false, reward };
    }
    if (reward.status !== RewardStatus.Pending) {
      // The reader's money was taken after we gave up on the order: it still counts.
      this.logger.warn(
        `late payment: order ${reward.tradeNo} was ${RewardStatus[reward.status]} and is settled now (${facts.source})`,
      );
    }

    // Mark it paid, then count the tip on the article (articles owns that count) and add it to
    // the article's supporters (under the article's lock that count just took).
    await runSql(
      manager,
      `UPDATE rewards SET status = $2, platform_trade_no = COALESCE($3, platform_trade_no),
              paid_at = $4, next_check_at = NULL, updated_time = now()
        WHERE id = $1`,
      [reward.id, RewardStatus.Paid, facts.platformTradeNo, facts.paidAt],
    );
    await this.articles.countReward(manager, reward.articleId, 1);
    await this.supporters.addPaid(manager, reward, facts.paidAt);
    const source: LedgerLeg =
      reward.payType === PayType.Balance
        ? { account: 'user', userId: reward.userId, amount: -reward.money, role: 'payer' }
        : { account: 'alipay', amount: -reward.money, role: 'alipay' };
    await this.ledger.post(manager, {
      movement: `reward:${reward.id}:settle`,
      kind: 'reward',
      rewardId: reward.id,
      legs: [
        source,
        { account: 'user', userId: reward.authorId, amount: reward.money, role: 'author' },
      ],
    });

    // Its page shows the new supporter, count and author's assets as soon as this commits
    // (ArticlesChanged from countReward, UserBalancesChanged from the ledger, and this).
    this.events.publish(manager, new RewardStatusChanged(reward.id, reward.articleId, 'paid'));

    Object.assign(reward, {
      status: RewardStatus.Paid,
      platformTradeNo: facts.platformTradeNo ?? reward.platformTradeNo,
      paidAt: facts.paidAt,
      nextCheckAt: null,
    });
    this.logger.log(`settled order ${reward.tradeNo} (${facts.source})`);
    return { settled: true, reward };
  }
}
