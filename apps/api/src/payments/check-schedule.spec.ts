import { nextCheckAt, nextWatchAt } from './check-schedule.js';

const now = new Date('2026-11-26T08:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const seconds = (n: number) => new Date(now.getTime() + n * 1000);

describe('nextCheckAt', () => {
  it.each([
    ['15 minutes before expiry', minutes(15), minutes(1)],
    ['30 seconds before expiry: at the expiry itself', seconds(30), seconds(30)],
    ['just expired: in 10 minutes', minutes(0), minutes(10)],
    ['expired 59 minutes ago: in 10 minutes', minutes(-59), minutes(10)],
    ['expired 2 hours ago: hourly', minutes(-120), minutes(60)],
    ['expired 23 hours ago: hourly', minutes(-23 * 60), minutes(60)],
    ['expired 2 days ago: daily', minutes(-48 * 60), minutes(24 * 60)],
  ])('%s', (_label, timeExpire, expected) => {
    expect(nextCheckAt(timeExpire, now)).toEqual(expected);
  });
});

describe('nextWatchAt (cancelled or expired orders)', () => {
  it.each([
    ['cancelled 15 minutes before expiry: in a minute', minutes(15), minutes(1)],
    ['just expired: in a minute', minutes(0), minutes(1)],
    ['expired 9 minutes ago: in a minute', minutes(-9), minutes(1)],
    ['expired 9m30s ago: at expiry + 10 minutes', seconds(-570), seconds(30)],
    ['expired exactly 10 minutes ago: the watch is over', minutes(-10), null],
    ['expired 11 minutes ago: the watch is over', minutes(-11), null],
    ['expired 2 days ago: the watch is over', minutes(-48 * 60), null],
  ])('%s', (_label, timeExpire, expected) => {
    expect(nextWatchAt(timeExpire, now)).toEqual(expected);
  });
});
