import { nextCheckAt } from './check-schedule.js';

const now = new Date('2026-11-26T08:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('nextCheckAt', () => {
  it.each([
    ['15 minutes before expiry', minutes(15), minutes(1)],
    [
      '30 seconds before expiry: at the expiry itself',
      new Date(now.getTime() + 30_000),
      new Date(now.getTime() + 30_000),
    ],
    ['just expired: in 10 minutes', minutes(0), minutes(10)],
    ['expired 59 minutes ago: in 10 minutes', minutes(-59), minutes(10)],
    ['expired 2 hours ago: hourly', minutes(-120), minutes(60)],
    ['expired 23 hours ago: hourly', minutes(-23 * 60), minutes(60)],
    ['expired 2 days ago: daily', minutes(-48 * 60), minutes(24 * 60)],
  ])('%s', (_label, timeExpire, expected) => {
    expect(nextCheckAt(timeExpire, now)).toEqual(expected);
  });
});
