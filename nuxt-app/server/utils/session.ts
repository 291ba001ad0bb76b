import type { H3Event } from 'h3';

const FALLBACK_MAX_AGE_SECONDS = 7 * 24 * 3600;

/**
 * Stores the JWT in an httpOnly, SameSite=Lax cookie. Lax keeps it on the top-level GET that
 * brings the reader back from Alipay to /wallet. It lives as long as the token does.
 */
export function setSessionCookie(event: H3Event, token: string): void {
  setCookie(event, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: requestIsHttps(event),
    maxAge: tokenLifetimeSeconds(token),
  });
}

export function clearSessionCookie(event: H3Event): void {
  deleteCookie(event, SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/' });
}

/** Seconds until the token's `exp` (read, not verified: the API verifies it on every call). */
function tokenLifetimeSeconds(token: string): number {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    const exp = typeof payload?.exp === 'number' ? payload.exp : undefined;
    if (exp === undefined) return FALLBACK_MAX_AGE_SECONDS;
    return Math.max(0, Math.floor(exp - Date.now() / 1000));
  } catch {
    return FALLBACK_MAX_AGE_SECONDS;
  }
}

/** Passes an API error through with its status (and Retry-After for 429). */
export function relayError<T>(
  event: H3Event,
  result: { status: number; data: T; retryAfter: string | null },
): T {
  setResponseStatus(event, result.status);
  if (result.retryAfter) event.node.res.setHeader('retry-after', result.retryAfter);
  return result.data;
}
