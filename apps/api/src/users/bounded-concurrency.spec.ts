import { BoundedConcurrency, SlotWaitTimeoutError } from './bounded-concurrency.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BoundedConcurrency', () => {
  it('never runs more than its limit at once, and runs every task', async () => {
    const slots = new BoundedConcurrency(2, 5_000);
    let running = 0;
    let mostAtOnce = 0;
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, n) =>
        slots.run(async () => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          await sleep(10);
          running--;
          return n;
        }),
      ),
    );
    expect(mostAtOnce).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives up on a wait longer than maxWaitMs without running the task, and recovers', async () => {
    const slots = new BoundedConcurrency(1, 50);
    const ran: string[] = [];
    const long = slots.run(async () => {
      ran.push('long');
      await sleep(200);
    });
    const starved = slots.run(() => {
      ran.push('starved');
      return Promise.resolve();
    });
    await expect(starved).rejects.toBeInstanceOf(SlotWaitTimeoutError);
    await long;
    await slots.run(() => {
      ran.push('later');
      return Promise.resolve();
    });
    expect(ran).toEqual(['long', 'later']);
  });

  it('frees the slot when a task fails', async () => {
    const slots = new BoundedConcurrency(1, 50);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
