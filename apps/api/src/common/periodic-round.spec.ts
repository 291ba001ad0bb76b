import { PeriodicRound } from './periodic-round.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('PeriodicRound', () => {
  it('runs a round each interval, never two at once, and stop() waits for the one running', async () => {
    let started = 0;
    let finished = 0;
    let concurrent = 0;
    let mostConcurrent = 0;
    const rounds = new PeriodicRound(async () => {
      started++;
      concurrent++;
      mostConcurrent = Math.max(mostConcurrent, concurrent);
      await sleep(45); // longer than the interval: the ticks meanwhile must not start another
      concurrent--;
      finished++;
    });
    rounds.start(10);
    await sleep(120);
    await rounds.stop();
    expect(started).toBeGreaterThanOrEqual(2);
    expect(mostConcurrent).toBe(1);
    expect(finished).toBe(started); // stop() returned only after the running round ended
    const afterStop = started;
    await sleep(40);
    expect(started).toBe(afterStop);
  });
});
