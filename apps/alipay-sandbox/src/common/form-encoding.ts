/**
 * `k=v&...` with encodeURIComponent, so a space is `%20` rather than URLSearchParams' `+`:
 * every decoder reads it the same way, including a plain decodeURIComponent, and a timestamp
 * such as `2026-11-26 10:00:00` reaches the merchant's signature check intact.
 */
export function encodeForm(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}
