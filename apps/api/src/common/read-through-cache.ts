import { LRUCache } from 'lru-cache';

export interface ReadThroughCacheOptions {
  /** How long a value is reused before it is loaded again. */
  ttlMs: number;
  /** The bound, in characters of the cached values' JSON (~2 bytes each in memory). */
  maxSizeChars: number;
}

/**
 * Values shared by every reader for a short while. Concurrent misses share one load. A load
 * that overlaps a `forget` is answered but not kept, so a value read before a commit never
 * outlives the forget that follows the commit. The owner of the data decides when to forget.
 */
export class ReadThroughCache<K extends string> {
  private readonly entries: LRUCache<K, { value: unknown }>;
  private readonly loading = new Map<K, Promise<unknown>>();
  /** Bumped by every forget; a load that saw it move keeps its answer to itself. */
  private changes = 0;

  constructor({ ttlMs, maxSizeChars }: ReadThroughCacheOptions) {
    this.entries = new LRUCache<K, { value: unknown }>({
      maxSize: maxSizeChars,
      sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.value)?.length ?? 1),
      ttl: ttlMs,
    });
  }

  /** The cached value for `key`, or what `load` answers (kept unless a forget overlapped it). */
  get<T>(key: K, load: () => Promise<T>): Promise<T> {
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

  /** Forgets these keys. */
  forget(keys: Iterable<K>): void {
    this.changes++;
    for (const key of keys) {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  /**
   * Forgets the cached values whose key and value match, and every load in progress whose key
   * matches (its value is not known yet).
   */
  forgetWhere(keyMatches: (key: K) => boolean, valueMatches: (value: unknown) => boolean): void {
    this.changes++;
    for (const [key, entry] of this.entries.entries()) {
      if (keyMatches(key) && valueMatches(entry.value)) this.entries.delete(key);
    }
    for (const key of this.loading.keys()) {
      if (keyMatches(key)) this.loading.delete(key);
    }
  }
}
