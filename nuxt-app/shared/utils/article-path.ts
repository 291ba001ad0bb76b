/** Only the article page as the site links it: no query, no trailing slash. */
const ARTICLE_PAGE = /^\/p\/[1-9]\d{0,9}$/;

/**
 * Whether a request is a GET of an article page. That page's HTML is rendered without the
 * reader (no session read, no cookie sent to the API) and shared by every reader for a second
 * (server/plugins/02.article-page-cache.ts); a logged-in reader's own parts are fetched by the
 * page once shown (app/pages/p/[id].vue).
 */
export function isArticlePageRequest(method: string, path: string): boolean {
  return method === 'GET' && ARTICLE_PAGE.test(path);
}
