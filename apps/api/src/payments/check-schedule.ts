const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When to ask Alipay about a pending order again (DESIGN.md, "Expiry and reconciliation"):
 * every minute until it expires (never later than the expiry itself, when it is queried once
 * more and closed); after that, while close or query outcomes stay unknown, every 10 minutes
 * for an hour, then hourly for a day, then daily until someone syncs it by hand.
 */
export function nextCheckAt(timeExpire: Date, now: Date): Date {
  const expiresIn = timeExpire.getTime() - now.getTime();
  if (expiresIn > 0) {
    return new Date(now.getTime() + Math.min(MINUTE, expiresIn));
  }
  const sinceExpiry = -expiresIn;
  const delay = sinceExpiry < HOUR ? 10 * MINUTE : sinceExpiry < 24 * HOUR ? HOUR : 24 * HOUR;
  return new Date(now.getTime() + delay);
}

/** How long a sweep holds a claimed row before another instance may take it over. */
export const CLAIM_LEASE_MS = 5 * MINUTE;

/** A pending refund with an unknown outcome is asked about again after this. */
export const REFUND_RETRY_MS = MINUTE;
