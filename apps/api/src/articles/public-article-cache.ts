import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ReadThroughCache } from '../common/read-through-cache.js';
import { UserBalancesChanged } from '../users/users.events.js';
import { ArticlesChanged } from './articles.events.js';

/**
 * How long public article data is reused before it is read again: an article's row, a page of
 * the list. Changes made through this instance show at once (the events below, after their
 * commit); changes made through other instances within this.
 */
export const PUBLIC_CACHE_TTL_MS = 1000;
const MAX_SIZE_CHARS = 16 * 1024 * 1024;

export type PublicCacheKey = `article:${number}` | `list:${number}:${number}`;

/** The part of a cached article row the cache itself reads. */
interface AuthoredRow {
  user_id: number;
}

/**
 * The data every reader of an article sees alike, kept in memory for PUBLIC_CACHE_TTL_MS so
 * that a popular article's readers do not each cost PostgreSQL a query (docs/BENCHMARKS.md).
 * Anything that depends on who is asking is shaped from the cached rows per request, never
 * cached. The one balance it holds, an article row's author's 总资产 for display, comes from
 * UsersService; orders and payments never read it.
 *
 * Every way it is invalidated is one of the two listeners below: an `ArticlesChanged`
 * (articles' own writes) and a `UserBalancesChanged` (the ledger moved an author's balance).
 */
@Injectable()
export class PublicArticleCache {
  private readonly cache = new ReadThroughCache<PublicCacheKey>({
    ttlMs: PUBLIC_CACHE_TTL_MS,
    maxSizeChars: MAX_SIZE_CHARS,
  });

  get<T>(key: PublicCacheKey, load: () => Promise<T>): Promise<T> {
    return this.cache.get(key, load);
  }

  /** Drops what is cached about these articles and every page of the list (counts changed). */
  @OnEvent(ArticlesChanged.NAME)
  onArticlesChanged({ articleIds }: ArticlesChanged): void {
    this.cache.forget(articleIds.map((id) => `article:${id}` as const));
    this.cache.forgetWhere(
      (key) => key.startsWith('list:'),
      () => true,
    );
  }

  /** Drops the cached rows of articles by these users (their 总资产 moved). */
  @OnEvent(UserBalancesChanged.NAME)
  onBalancesChanged({ userIds }: UserBalancesChanged): void {
    if (userIds.length === 0) return;
    const authors = new Set(userIds);
    this.cache.forgetWhere(
      (key) => key.startsWith('article:'),
      (row) => row !== null && authors.has((row as AuthoredRow).user_id),
    );
  }
}
