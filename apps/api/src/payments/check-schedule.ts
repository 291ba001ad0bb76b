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

/** How long after time_expire a cancelled or expired Alipay order is still watched. */
export const WATCH_AFTER_EXPIRY_MS = 10 * MINUTE;

/**
 * When to ask Alipay again about a cancelled (2) or expired (3) Alipay order, after a
 * definite answer that it is unpaid (DESIGN.md, "Cancel and expiry keep watching"): a cashier
 * opened before the close, or a signed page-pay URL still valid after a cancel, can take the
 * reader's money until time_expire, and its notice may be lost. So every minute until
 * time_expire + 10 minutes (the last query at that instant), then never (null). An unknown
 * answer is not a definite one: that order stays on the ladder of `nextCheckAt`.
 */
export function nextWatchAt(timeExpire: Date, now: Date): Date | null {
  const watchLeft = timeExpire.getTime() + WATCH_AFTER_EXPIRY_MS - now.getTime();
  if (watchLeft <= 0) return null;
  return new Date(now.getTime() + Math.min(MINUTE, watchLeft));
}

/** How long a sweep holds a claimed row before another instance may take it over. */
export const CLAIM_LEASE_MS = 5 * MINUTE;

/** A pending refund with an unknown outcome is asked about again after this. */
export const REFUND_RETRY_MS = MINUTE;
