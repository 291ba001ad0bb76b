/**
 * The timer of a background sweep (the orders' reconciliation, the withdrawals' transfers):
 * a round every `intervalMs`, never two at once in this process (a slow round makes the next
 * tick a no-op rather than a second concurrent round), and `stop()` waits for the round in
 * progress so that shutdown never cuts a money movement in half. @nestjs/schedule's
 * `@Interval` has neither the overlap rule nor the wait, and its interval is fixed at compile
 * time where ours comes from RECONCILE_INTERVAL_SECONDS. `round` handles its own errors
 * (both sweeps log them and wait for the next round).
 */
export class PeriodicRound {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly round: () => Promise<unknown>) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.round().finally(() => (this.running = undefined));
    }, intervalMs);
    // A sweep alone must not keep a process alive that is otherwise done (CLI tools, tests).
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
