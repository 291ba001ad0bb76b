import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ArticlesChanged } from '../articles/articles.events.js';
import { ReadThroughCache } from '../common/read-through-cache.js';
import { RewardStatusChanged } from './payments.events.js';

/** How long an article's supporters are reused; other instances' tips show within this. */
export const SUPPORTERS_CACHE_TTL_MS = 1000;
const MAX_SIZE_CHARS = 8 * 1024 * 1024;

type SupportersKey = `supporters:${number}`;

/**
 * An article's supporter count and first supporters (GET /article/:id/rewards, the first page
 * of any page_size), the same rows for every viewer, kept for
 * SUPPORTERS_CACHE_TTL_MS. Every way it is invalidated is one of the two listeners below: a
 * tip paid or refunded (`RewardStatusChanged`), or the article itself changed
 * (`ArticlesChanged`: unpublished, or its author's view of it).
 */
@Injectable()
export class SupportersCache {
  private readonly cache = new ReadThroughCache<SupportersKey>({
    ttlMs: SUPPORTERS_CACHE_TTL_MS,
    maxSizeChars: MAX_SIZE_CHARS,
  });

  get<T>(articleId: number, load: () => Promise<T>): Promise<T> {
    return this.cache.get(`supporters:${articleId}`, load);
  }

  @OnEvent(RewardStatusChanged.NAME)
  onRewardStatusChanged({ articleId }: RewardStatusChanged): void {
    this.cache.forget([`supporters:${articleId}`]);
  }

  @OnEvent(ArticlesChanged.NAME)
  onArticlesChanged({ articleIds }: ArticlesChanged): void {
    this.cache.forget(articleIds.map((id) => `supporters:${id}` as const));
  }
}
