import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AfterCommitEvents } from '../common/persistence/after-commit-events.js';
import { ArticlesChanged } from './articles.events.js';

/** How often the reads counted in memory are written. */
export const READ_COUNT_FLUSH_MS = 1000;
/** The longest a read waits for a write of the counts (or a write for reads), normally ~1 ms. */
const GATE_MS = 500;

/**
 * Counts article reads (`GET /article/detail/:id/`) in memory and writes them once a second,
 * one UPDATE for every article read in that second, instead of one UPDATE per read: with that,
 * every reader of a popular article queued on its row lock and waited for a commit.
 *
 * A read answers the stored count plus this instance's reads not yet written (itself
 * included), so one instance answers exactly what it did before. A write waits for the reads
 * in progress and holds new ones for its single statement, so no read sees a count both stored
 * and still pending; both waits are bounded, so a database in trouble never holds a read up
 * for long (the count it answers may then be off by a second's reads). With several API
 * instances a reader may not yet see the other instances' last second. Counts are written at
 * shutdown; a crash loses at most the last second's reads; a failed write is retried.
 */
@Injectable()
export class ReadCountsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadCountsService.name);
  private pending = new Map<number, number>();
  private active = 0;
  private idle: (() => void) | undefined;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: AfterCommitEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), READ_COUNT_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(); // the write in progress, if any
    await this.flush(); // and what was counted meanwhile
  }

  /**
   * Loads an article's row with `load` (undefined when it is missing or unpublished: not a
   * read), counts the read, and answers the row with `read_count` including unwritten reads.
   */
  async countRead<T extends { read_count: number }>(
    articleId: number,
    load: () => Promise<T | null | undefined>,
  ): Promise<T | undefined> {
    if (this.flushing) await bounded(this.flushing);
    this.active++;
    try {
      const row = await load();
      if (!row) return undefined;
      const unwritten = (this.pending.get(articleId) ?? 0) + 1;
      this.pending.set(articleId, unwritten);
      return { ...row, read_count: row.read_count + unwritten };
    } finally {
      this.active--;
      if (this.active === 0) this.idle?.();
    }
  }

  /** This instance's reads of the article not yet written (lists add them to the stored count). */
  unwritten(articleId: number): number {
    return this.pending.get(articleId) ?? 0;
  }

  /** Writes the counted reads now (the timer does this every READ_COUNT_FLUSH_MS). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.active > 0) await bounded(new Promise<void>((resolve) => (this.idle = resolve)));
    this.idle = undefined;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.dataSource.query(
        `UPDATE articles AS a SET read_count = a.read_count + v.reads
           FROM unnest($1::int[], $2::int[]) AS v(id, reads)
          WHERE a.id = v.id`,
        [[...batch.keys()], [...batch.values()]],
      );
      // Cached rows hold the stored count from before this write, and these reads are no
      // longer pending: read them again, or their readers would see the count drop.
      this.events.publish(this.dataSource.manager, new ArticlesChanged([...batch.keys()]));
    } catch (error) {
      for (const [id, reads] of batch) {
        this.pending.set(id, (this.pending.get(id) ?? 0) + reads);
      }
      this.logger.warn(
        `could not write the read counts of ${batch.size} article(s), will retry: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
}

/** Waits for `promise`, but never longer than GATE_MS. */
function bounded(promise: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, GATE_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}
