import { createHash } from 'node:crypto';

// The headers every HTML page leaves with (DESIGN.md "The site's defences").
//
// Content-Security-Policy allows scripts from this site and the inline scripts the page itself
// carries, by their SHA-256. A nonce would be a new value per response that a copy served from
// a page cache (ours or a CDN's) could not match; a hash is a property of the script, the same
// in every copy. style-src keeps 'unsafe-inline' for the style attributes Vue renders.
//
// Cache-Control: a logged-out reader's article page is the same for everyone and may be kept
// by a shared cache for a second (Vary: Cookie keeps it from anyone with a session); every
// other page may hold a reader's name or money and is never stored.
const ANONYMOUS_ARTICLE_CACHING = 'public, s-maxage=1, stale-while-revalidate=5';
const PRIVATE_CACHING = 'private, no-store';

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
/** Script types a browser runs (a data block such as type="application/json" is never run). */
const RUNNABLE_TYPE = /^\s*(?:|text\/javascript|application\/javascript|module)\s*$/i;

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:response', (response, { event }) => {
    if (typeof response.body !== 'string') return;
    const headers = (response.headers ??= {});
    const contentType = String(headers['content-type'] ?? '');
    if (contentType && !contentType.includes('text/html')) return;
    // A copy from the page cache already carries the policy made for its HTML (this plugin
    // runs before 02.article-page-cache keeps a response).
    headers['content-security-policy'] ??= pagePolicy(response.body);
    const shareable =
      isAnonymousArticlePage(event) &&
      (response.statusCode ?? 200) === 200 &&
      !event.node.res.hasHeader('set-cookie');
    headers['cache-control'] = shareable ? ANONYMOUS_ARTICLE_CACHING : PRIVATE_CACHING;
    headers.vary = 'Cookie';
  });
});

function pagePolicy(html: string): string {
  const hashes = new Set<string>();
  for (const [, attributes = '', code = ''] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes)?.[1] ?? '';
    if (!RUNNABLE_TYPE.test(type)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
  }
  return [
    "default-src 'self'",
    `script-src 'self' ${[...hashes].join(' ')}`.trimEnd(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
