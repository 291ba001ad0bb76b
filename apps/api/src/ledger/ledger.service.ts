import { ConflictException, Injectable } from '@nestjs/common';
import { fenFromDatabase } from '@renran/money';
import type { EntityManager } from 'typeorm';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { runSql } from '../common/persistence/sql.js';
import { UserBalancesChanged } from '../users/users.events.js';
import { LedgerEntryEntity, type LedgerAccount } from './entities/ledger-entry.entity.js';

export interface LedgerLeg {
  account: LedgerAccount;
  /** Required for `user` legs, absent for external accounts. */
  userId?: number;
  /** Signed fen. */
  amount: number;
  /** Names this leg within its movement; becomes part of the unique entry key. */
  role: string;
}

export interface Movement {
  /** Stable id of the business event, e.g. `reward:42:settle`; repeats are refused. */
  movement: string;
  kind: string;
  legs: LedgerLeg[];
  rewardId?: number;
  refundId?: number;
  withdrawalId?: number;
}

export class InsufficientBalanceError extends ConflictException {
  constructor() {
    super('余额不足');
  }
}

/**
 * The only writer of user balances. Each movement is double entry (legs sum to zero) and is
 * applied inside the caller's transaction: every user leg is one `UPDATE ... SET money = money
 * + $1` that refuses to go below zero, and every leg is recorded under a unique entry key,
 * with the movement's references (order, refund, withdrawal) and, on user legs, the balance
 * that statement left.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly events: AfterCommitEvents) {}

  async post(manager: EntityManager, movement: Movement): Promise<void> {
    assertBalanced(movement);
    // Balances are locked in ascending user id, so two movements between the same users in
    // opposite directions (A tips B while B tips A) cannot deadlock.
    const userLegs = movement.legs
      .filter((leg) => leg.account === 'user')
      .sort((a, b) => (a.userId ?? 0) - (b.userId ?? 0));
    const balanceAfter = new Map<LedgerLeg, number>();
    for (const leg of userLegs) {
      const { rows } = await runSql<{ money: string }>(
        manager,
        'UPDATE users SET money = money + $1, updated_time = now() WHERE id = $2 AND money + $1 >= 0 RETURNING money',
        [leg.amount, leg.userId],
      );
      if (rows.length === 0) {
        throw new InsufficientBalanceError();
      }
      balanceAfter.set(leg, fenFromDatabase(rows[0].money));
    }
    // Balances are shown (an author's 总资产 on the article page) from caches that listen.
    if (userLegs.length > 0) {
      this.events.publish(manager, new UserBalancesChanged(userLegs.map((leg) => leg.userId ?? 0)));
    }
    await manager.insert(
      LedgerEntryEntity,
      movement.legs.map((leg) => ({
        entryKey: `${movement.movement}:${leg.role}`,
        movement: movement.movement,
        kind: movement.kind,
        account: leg.account,
        userId: leg.account === 'user' ? leg.userId : null,
        amount: leg.amount,
        balanceAfter: balanceAfter.get(leg) ?? null,
        rewardId: movement.rewardId ?? null,
        refundId: movement.refundId ?? null,
        withdrawalId: movement.withdrawalId ?? null,
      })),
    );
  }

  /**
   * A user's balance, its row locked until the caller's transaction ends, for a caller that
   * decides on it and then posts a movement (an external refund the author must cover).
   */
  async lockBalance(manager: EntityManager, userId: number): Promise<number> {
    const { rows } = await runSql<{ money: string }>(
      manager,
      'SELECT money FROM users WHERE id = $1 FOR UPDATE',
      [userId],
    );
    return fenFromDatabase(rows[0].money);
  }
}

function assertBalanced({ movement, legs }: Movement): void {
  if (legs.length < 2) {
    throw new Error(`ledger movement ${movement} needs at least two legs`);
  }
  let sum = 0;
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0) {
      throw new Error(`ledger movement ${movement} has a bad amount: ${leg.amount}`);
    }
    if ((leg.account === 'user') !== (leg.userId !== undefined)) {
      throw new Error(`ledger movement ${movement}: only user legs carry a userId`);
    }
    sum += leg.amount;
  }
  if (sum !== 0) {
    throw new Error(`ledger movement ${movement} does not balance (sum ${sum})`);
  }
}
