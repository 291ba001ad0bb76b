const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Alipay's resend delays after a failed notice: 4m, 10m, 10m, 1h, 2h, 6h, 15h. */
export const RESEND_DELAYS_MS = [
  4 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  HOUR,
  2 * HOUR,
  6 * HOUR,
  15 * HOUR,
] as const;

/** The first send plus one per resend: 8 notices within about 25 hours. */
export const MAX_ATTEMPTS = RESEND_DELAYS_MS.length + 1;

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next one,
 * divided by the time scale; undefined once the schedule is used up.
 */
export function resendDelayMs(attempt: number, timeScale: number): number | undefined {
  const delay = RESEND_DELAYS_MS[attempt - 1];
  return delay === undefined ? undefined : Math.max(1, Math.round(delay / timeScale));
}
