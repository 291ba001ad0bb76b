import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/**
 * How long public article data is reused before it is read again: an article's row, its
 * supporters, a page of the list. Changes made through this instance show at once (they forget
 * what they change after their commit); changes made through other instances within this.
 */
export const PUBLIC_CACHE_TTL_MS = 1000;
const MAX_ENTRIES = 5000;

/** Where a transaction lists the articles it changed, read back after its commit. */
const CHANGED_ARTICLES = 'renran.changedArticles';

export type PublicCacheKey =
  `article:${number}` | `supporters:${number}` | `list:${number}:${number}`;

/**
 * The data every reader of an article sees alike, kept in memory for PUBLIC_CACHE_TTL_MS so
 * that a popular article's readers do not each cost PostgreSQL a query (docs/BENCHMARKS.md).
 * Concurrent misses share one load. A load that overlaps a change is used but not kept, so a
 * value read before a commit never outlives it. Anything that depends on who is asking is
 * shaped from the cached rows per request, never cached.
 */
@Injectable()
export class PublicArticleCache implements EntitySubscriberInterface {
  private readonly entries = new LRUCache<PublicCacheKey, { value: unknown }>({
    max: MAX_ENTRIES,
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

  /** The cached value without loading or refreshing it (undefined when absent or expired). */
  peek<T>(key: PublicCacheKey): T | undefined {
    return this.entries.peek(key)?.value as T | undefined;
  }

  /** Drops what is cached about these articles and every page of the list. */
  forgetArticles(articleIds: Iterable<number>): void {
    this.changes++;
    for (const id of articleIds) {
      this.entries.delete(`article:${id}`);
      this.entries.delete(`supporters:${id}`);
      this.loading.delete(`article:${id}`);
      this.loading.delete(`supporters:${id}`);
    }
    this.forgetLists();
  }

  /** Drops every cached page of the list (their counts changed). */
  forgetLists(): void {
    this.changes++;
    for (const key of this.entries.keys()) {
      if (key.startsWith('list:')) this.entries.delete(key);
    }
    for (const key of this.loading.keys()) {
      if (key.startsWith('list:')) this.loading.delete(key);
    }
  }

  /**
   * Forgets the article once `manager`'s transaction commits: forgetting earlier would let a
   * reader cache the state the transaction is about to replace. Outside a transaction, now.
   */
  forgetAfterCommit(manager: EntityManager, articleId: number): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      this.forgetArticles([articleId]);
      return;
    }
    const changed = (runner.data[CHANGED_ARTICLES] ??= new Set<number>()) as Set<number>;
    changed.add(articleId);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const changed = event.queryRunner.data[CHANGED_ARTICLES] as Set<number> | undefined;
    if (!changed) return;
    delete event.queryRunner.data[CHANGED_ARTICLES];
    this.forgetArticles(changed);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[CHANGED_ARTICLES];
  }
}
