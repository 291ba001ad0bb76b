import { formatBeijingTime, parseBeijingTime } from './beijing-time.js';

describe('Beijing time', () => {
  it.each([
    ['2026-11-26T00:30:05.000Z', '2026-11-26 08:30:05'],
    ['2026-11-25T16:00:00.000Z', '2026-11-26 00:00:00'],
    ['2026-12-31T20:59:59.999Z', '2027-01-01 04:59:59'],
  ])('formats %s as %s', (iso, text) => {
    expect(formatBeijingTime(new Date(iso))).toBe(text);
    expect(parseBeijingTime(text)?.toISOString()).toBe(
      new Date(iso).toISOString().replace(/\.\d{3}Z$/, '.000Z'),
    );
  });

  it('does not depend on the process time zone', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(formatBeijingTime(new Date('2026-06-01T12:00:00Z'))).toBe('2026-06-01 20:00:00');
    } finally {
      process.env.TZ = before;
    }
  });

  it.each(['', '2026-11-26', '2026/11/26 08:00:00', 'now'])('refuses %p', (text) => {
    expect(parseBeijingTime(text)).toBeNull();
  });
});
