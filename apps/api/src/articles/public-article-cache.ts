import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import {
  type CommittedChanges,
  noteChange,
  takeChanges,
} from '../common/persistence/committed-changes.js';

/**
 * How long public article data is reused before it is read again: an article's row, its
 * supporters, a page of the list. Changes made through this instance show at once (they forget
 * what they change after their commit); changes made through other instances within this.
 */
export const PUBLIC_CACHE_TTL_MS = 1000;
/** The cache's bound, in characters of the cached values' JSON (~2 bytes each in memory). */
const MAX_SIZE_CHARS = 16 * 1024 * 1024;

export type PublicCacheKey =
  `article:${number}` | `supporters:${number}` | `list:${number}:${number}`;

/** The part of a cached article row the cache itself reads. */
interface AuthoredRow {
  user_id: number;
}

/**
 * The data every reader of an article sees alike, kept in memory for PUBLIC_CACHE_TTL_MS so
 * that a popular article's readers do not each cost PostgreSQL a query (docs/BENCHMARKS.md).
 * Concurrent misses share one load. A load that overlaps a change is used but not kept, so a
 * value read before a commit never outlives it. Anything that depends on who is asking is
 * shaped from the cached rows per request, never cached. The one balance it holds, an article
 * row's author's 总资产 for display, is forgotten whenever the ledger changes that balance;
 * orders and payments never read it.
 */
@Injectable()
export class PublicArticleCache implements EntitySubscriberInterface {
  private readonly entries = new LRUCache<PublicCacheKey, { value: unknown }>({
    maxSize: MAX_SIZE_CHARS,
    sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.value)?.length ?? 1),
    ttl: PUBLIC_CACHE_TTL_MS,
  });
  private readonly loading = new Map<PublicCacheKey, Promise<unknown>>();
  /** Bumped by every change; a load that saw it move keeps its answer to itself. */
  private changes = 0;

  constructor(dataSource: DataSource) {
    // TypeORM's way to hear about commits (EntitySubscriberInterface.afterTransactionCommit).
    dataSource.subscribers.push(this);
  }

  /** The cached value for `key`, or what `load` answers (kept unless a change overlapped it). */
  get<T>(key: PublicCacheKey, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached) return Promise.resolve(cached.value as T);
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight as Promise<T>;

    const changesBefore = this.changes;
    const loaded = load().then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (this.changes === changesBefore) this.entries.set(key, { value });
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /** Drops what is cached about these articles and every page of the list. */
  forgetArticles(articleIds: Iterable<number>): void {
    this.changes++;
    for (const id of articleIds) {
      for (const key of [`article:${id}`, `supporters:${id}`] as const) {
        this.entries.delete(key);
        this.loading.delete(key);
      }
    }
    this.forgetLists();
  }

  /** Drops every cached page of the list (their counts changed). */
  forgetLists(): void {
    this.changes++;
    for (const key of [...this.entries.keys(), ...this.loading.keys()]) {
      if (key.startsWith('list:')) {
        this.entries.delete(key);
        this.loading.delete(key);
      }
    }
  }

  /** Drops the cached rows of articles by these users (their balance, shown as 总资产, moved). */
  forgetAuthors(userIds: ReadonlySet<number>): void {
    if (userIds.size === 0) return;
    this.changes++;
    for (const [key, entry] of this.entries.entries()) {
      const row = entry.value as AuthoredRow | null;
      if (key.startsWith('article:') && row && userIds.has(row.user_id)) this.entries.delete(key);
    }
    for (const key of this.loading.keys()) {
      if (key.startsWith('article:')) this.loading.delete(key);
    }
  }

  /**
   * Forgets the article once `manager`'s transaction commits: forgetting earlier would let a
   * reader cache the state the transaction is about to replace. Outside a transaction, now.
   */
  forgetAfterCommit(manager: EntityManager, articleId: number): void {
    const committed = noteChange(manager, { articleId });
    if (committed) this.forget(committed);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const changes = takeChanges(event.queryRunner);
    if (changes) this.forget(changes);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    takeChanges(event.queryRunner);
  }

  private forget(changes: CommittedChanges): void {
    if (changes.articleIds.size > 0) this.forgetArticles(changes.articleIds);
    this.forgetAuthors(changes.userIds);
  }
}
