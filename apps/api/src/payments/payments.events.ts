import type { CommittedEvent } from '../common/persistence/after-commit-events.js';

/** A tip was paid (settled) or refunded: the article's supporters are not what they were. */
export class RewardStatusChanged implements CommittedEvent {
  static readonly NAME = 'payments.reward-status-changed';
  readonly eventName = RewardStatusChanged.NAME;
  constructor(
    readonly rewardId: number,
    readonly articleId: number,
    readonly status: 'paid' | 'refunded',
  ) {}
}
