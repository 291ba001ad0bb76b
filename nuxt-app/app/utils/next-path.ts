/** Where to go after logging in: only a path on this site, never another origin. */
export function safeNextPath(value: unknown): string {
  const next = Array.isArray(value) ? value[0] : value;
  if (typeof next !== 'string') return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}
