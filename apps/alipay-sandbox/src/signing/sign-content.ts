/**
 * The string Alipay signs for a parameter map: empty values dropped, keys sorted by code
 * unit (ASCII for Alipay's keys), `key=value` joined with `&`, values raw — never
 * URL-encoded.
 *
 * - App requests to gateway.do: everything but `sign` (so `sign_type` IS covered).
 * - Notifications and returns from Alipay: everything but `sign` and `sign_type`.
 */
export function buildSignContent(
  params: Readonly<Record<string, string>>,
  excluded: readonly string[],
): string {
  return Object.keys(params)
    .filter((key) => !excluded.includes(key) && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Keys left out of an app request's sign content. */
export const REQUEST_UNSIGNED_KEYS = ['sign'] as const;

/** Keys left out of a notification's or a return's sign content. */
export const NOTICE_UNSIGNED_KEYS = ['sign', 'sign_type'] as const;
