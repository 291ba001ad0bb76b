/** How long this server waits for the API: one that hangs fails the page, not the site. */
export const API_TIMEOUT_MS = 20_000;

/**
 * What this server adds to a call to the API on a reader's behalf: their session's token and
 * their address (server/middleware/client-ip.ts), so the API's per-IP limits see the reader.
 */
export function apiCallHeaders(
  token: string | null | undefined,
  forwardedFor: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  return headers;
}
