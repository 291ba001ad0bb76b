/** Thrown when a caller waited `maxWaitMs` for a slot without getting one. */
export class SlotWaitTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`no free slot within ${waitedMs} ms`);
    this.name = 'SlotWaitTimeoutError';
  }
}

/**
 * Runs at most `limit` tasks at once; the others wait in arrival order, each for at most
 * `maxWaitMs`, then give up with SlotWaitTimeoutError (their task never runs).
 */
export class BoundedConcurrency {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(grant);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(new SlotWaitTimeoutError(this.maxWaitMs));
      }, this.maxWaitMs);
      this.waiting.push(grant);
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
