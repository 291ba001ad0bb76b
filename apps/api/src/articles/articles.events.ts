import type { CommittedEvent } from '../common/persistence/after-commit-events.js';

/**
 * Articles' rows changed (created, edited, published or not, liked, read counts written, a tip
 * counted or uncounted). Published by ArticlesService and ReadCountsService after commit.
 * Listened to by articles' public cache and payments' supporters cache.
 */
export class ArticlesChanged implements CommittedEvent {
  static readonly NAME = 'articles.changed';
  readonly eventName = ArticlesChanged.NAME;
  constructor(readonly articleIds: readonly number[]) {}
}
