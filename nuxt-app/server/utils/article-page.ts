import type { H3Event } from 'h3';

/** Any reader's GET of an article page (shared/utils/article-path.ts). */
export function isArticlePage(event: H3Event): boolean {
  return isArticlePageRequest(event.method, event.path);
}

/**
 * A logged-out reader's article page, which a shared cache (a CDN) may also keep for a second:
 * only without a session cookie, so a shared cache never keys a reader's request at all.
 */
export function isAnonymousArticlePage(event: H3Event): boolean {
  return isArticlePage(event) && !getCookie(event, SESSION_COOKIE);
}
