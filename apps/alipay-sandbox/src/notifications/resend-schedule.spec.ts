import { MAX_ATTEMPTS, resendDelayMs } from './resend-schedule.js';

describe('resendDelayMs', () => {
  it.each([
    [1, 1, 240_000],
    [2, 1, 600_000],
    [3, 1, 600_000],
    [4, 1, 3_600_000],
    [5, 1, 7_200_000],
    [6, 1, 21_600_000],
    [7, 1, 54_000_000],
    [8, 1, undefined],
    [1, 240, 1000],
    [2, 240, 2500],
    [7, 240, 225_000],
    [1, 1e9, 1],
  ])('after failed attempt %d at scale %d waits %s ms', (attempt, scale, expected) => {
    expect(resendDelayMs(attempt, scale)).toBe(expected);
  });

  it('sends eight notices in all', () => {
    expect(MAX_ATTEMPTS).toBe(8);
  });
});
