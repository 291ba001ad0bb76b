import type { Movement } from '../ledger/ledger.service.js';
import type { WithdrawalEntity } from './entities/withdrawal.entity.js';

/**
 * The reserve: the amount leaves the author's balance for the `payouts` account when the
 * withdrawal is requested, so one balance can never be withdrawn twice.
 */
export function reserveMovement(withdrawal: WithdrawalEntity): Movement {
  return {
    movement: `withdrawal:${withdrawal.id}:reserve`,
    kind: 'withdrawal',
    withdrawalId: withdrawal.id,
    legs: [
      { account: 'user', userId: withdrawal.userId, amount: -withdrawal.amount, role: 'author' },
      { account: 'payouts', amount: withdrawal.amount, role: 'payouts' },
    ],
  };
}

/** Failed or rejected: the reserve goes back to the author, once (the key is unique). */
export function reversalMovement(withdrawal: WithdrawalEntity): Movement {
  return {
    movement: `withdrawal:${withdrawal.id}:reverse`,
    kind: 'withdrawal_reversal',
    withdrawalId: withdrawal.id,
    legs: [
      { account: 'user', userId: withdrawal.userId, amount: withdrawal.amount, role: 'author' },
      { account: 'payouts', amount: -withdrawal.amount, role: 'payouts' },
    ],
  };
}
