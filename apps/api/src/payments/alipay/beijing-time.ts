const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving), whatever the server's
 * time zone: Alipay reads every timestamp and time_expire that way.
 */
export function formatBeijingTime(date: Date): string {
  const shifted = new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/** Parses Alipay's `yyyy-MM-dd HH:mm:ss` (Beijing time) into an instant; null if malformed. */
export function parseBeijingTime(text: string | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS;
  return Number.isNaN(utc) ? null : new Date(utc);
}
