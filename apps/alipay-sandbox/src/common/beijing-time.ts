/**
 * Alipay speaks Beijing time (UTC+8, no daylight saving) in every timestamp it sends or
 * accepts. The sandbox keeps instants as epoch milliseconds and converts only at the edges,
 * so the process's own time zone never matters.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `yyyy-MM-dd HH:mm:ss` in Beijing time. */
export function formatBeijingTime(epochMs: number): string {
  const shifted = new Date(epochMs + BEIJING_OFFSET_MS);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`
  );
}

/** `yyyyMMdd` in Beijing time, the date prefix of Alipay's trade numbers. */
export function beijingDateDigits(epochMs: number): string {
  return formatBeijingTime(epochMs).slice(0, 10).replaceAll('-', '');
}

/**
 * Reads `yyyy-MM-dd HH:mm:ss`, or the older `yyyy-MM-dd HH:mm`, as Beijing time. Returns
 * undefined for anything else, including impossible dates such as 2026-02-30.
 */
export function parseBeijingTime(text: string): number | undefined {
  const match = TIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS;
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches it.
  const roundTrip = formatBeijingTime(epochMs);
  const expected = `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6] ?? '00'}`;
  return roundTrip === expected ? epochMs : undefined;
}
