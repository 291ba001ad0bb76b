/**
 * A fresh Idempotency-Key (≤ 64 chars of [A-Za-z0-9_-]). crypto.randomUUID only exists on
 * secure origins; getRandomValues works everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
