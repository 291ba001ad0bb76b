import type { H3Event } from 'h3';

/** Only the article page as the site links it: no query, no trailing slash. */
const ARTICLE_PAGE = /^\/p\/[1-9]\d{0,9}$/;

/**
 * A logged-out reader's GET of an article page: the same HTML for everyone, so it may be
 * served from a cache (this server's one-second copy, or a CDN's).
 */
export function isAnonymousArticlePage(event: H3Event): boolean {
  return (
    event.method === 'GET' && !getCookie(event, SESSION_COOKIE) && ARTICLE_PAGE.test(event.path)
  );
}
