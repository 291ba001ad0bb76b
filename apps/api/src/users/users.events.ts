import type { CommittedEvent } from '../common/persistence/after-commit-events.js';

/**
 * Users' balances (`users.money`) moved. Published by the ledger, their only writer, after its
 * transaction commits. Listened to by articles' public cache (an article shows its author's
 * 总资产). Defined here, beside the table, so a listener need not depend on the ledger.
 */
export class UserBalancesChanged implements CommittedEvent {
  static readonly NAME = 'users.balances-changed';
  readonly eventName = UserBalancesChanged.NAME;
  constructor(readonly userIds: readonly number[]) {}
}
