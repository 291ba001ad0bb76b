import { beijingDateDigits, formatBeijingTime, parseBeijingTime } from './beijing-time.js';

describe('Beijing time', () => {
  it.each([
    [Date.UTC(2026, 10, 26, 0, 0, 0), '2026-11-26 08:00:00'],
    [Date.UTC(2026, 10, 26, 16, 30, 5), '2026-11-27 00:30:05'],
    [Date.UTC(2026, 11, 31, 16, 0, 0), '2027-01-01 00:00:00'],
  ])('formats %d as %s whatever the process time zone', (epochMs, text) => {
    expect(formatBeijingTime(epochMs)).toBe(text);
    expect(parseBeijingTime(text)).toBe(epochMs);
  });

  it.each([
    ['2026-11-26 08:00', Date.UTC(2026, 10, 26, 0, 0, 0)],
    ['2026-11-26 08:00:59', Date.UTC(2026, 10, 26, 0, 0, 59)],
  ])('reads both documented formats: %s', (text, epochMs) => {
    expect(parseBeijingTime(text)).toBe(epochMs);
  });

  it.each([
    '2026-02-30 10:00:00',
    '2026-11-26T08:00:00',
    '2026-11-26 24:00:00',
    '2026-11-26 08:60',
    '2026/11/26 08:00:00',
    '2026-11-26 8:00:00',
    '2026-11-26 08:00:00 ',
    '',
  ])('refuses %j', (text) => {
    expect(parseBeijingTime(text)).toBeUndefined();
  });

  it('gives the date digits of a trade number in Beijing time', () => {
    expect(beijingDateDigits(Date.UTC(2026, 10, 25, 17, 0, 0))).toBe('20261126');
  });
});
