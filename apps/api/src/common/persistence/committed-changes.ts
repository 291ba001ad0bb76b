import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * What a transaction changed that in-memory copies may hold (the public article cache), noted
 * on its TypeORM query runner and read back once it commits. Writers note; caches read. Kept
 * here, below both, so that neither the ledger nor payments depends on a cache.
 */
export interface CommittedChanges {
  articleIds: Set<number>;
  /** Users whose balance changed. */
  userIds: Set<number>;
}

const KEY = 'renran.committedChanges';

/**
 * Notes a change to be announced after `manager`'s transaction commits. Outside a transaction
 * the change is already committed: answers it for the caller to announce at once.
 */
export function noteChange(
  manager: EntityManager,
  change: { articleId?: number; userIds?: Iterable<number> },
): CommittedChanges | undefined {
  const runner = manager.queryRunner;
  const inTransaction = runner?.isTransactionActive === true;
  const changes: CommittedChanges = inTransaction
    ? ((runner.data[KEY] as CommittedChanges | undefined) ??= noChanges())
    : noChanges();
  if (change.articleId !== undefined) changes.articleIds.add(change.articleId);
  for (const id of change.userIds ?? []) changes.userIds.add(id);
  return inTransaction ? undefined : changes;
}

function noChanges(): CommittedChanges {
  return { articleIds: new Set(), userIds: new Set() };
}

/** What the finished transaction on `runner` noted (once: it is removed). */
export function takeChanges(runner: QueryRunner): CommittedChanges | undefined {
  const changes = runner.data[KEY] as CommittedChanges | undefined;
  delete runner.data[KEY];
  return changes;
}
