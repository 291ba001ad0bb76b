import { LRUCache } from 'lru-cache';

// Every reader of an article page gets the same HTML (rendered without the reader, see
// server/utils/article-page.ts), so for a second it is rendered once and served from memory:
// rendering the page costs this server several times what sending it does
// (docs/BENCHMARKS.md). A logged-in reader's own parts (their name, their balance, their own
// tips) are never in it: the page fetches them once shown. The page counts its own read with a
// beacon once it is shown (app/composables/useReadBeacon.ts), so a copy from here — or from a
// CDN, which the page's Cache-Control allows for logged-out readers
// (server/plugins/01.page-security-headers.ts) — counts like a render.
//
// The file names order the plugins: 01.page-security-headers adds its headers (the CSP hashed
// over the HTML) on render:response before this one keeps the response, so a copy carries
// them and a hit does not hash the page again.

/** How long a rendered page is served to logged-out readers before it is rendered again. */
const PAGE_CACHE_TTL_MS = 1000;
/**
 * While one request renders the page again, the others get the previous copy (so a second's
 * readers do not all render it at once, the slowest answers of a busy page) — but never one
 * older than this, nor while that render seems lost.
 */
const MAX_STALE_MS = 5000;
interface CachedPage {
  body: string;
  headers: Record<string, string>;
  storedAt: number;
}

/** Bounded by the characters of HTML held: a page is ~10k, a long article's ~150k. */
const pages = new LRUCache<string, CachedPage>({
  maxSize: 32 * 1024 * 1024,
  sizeCalculation: (page) => Math.max(1, page.body.length),
});
/** Pages being rendered for the cache, and since when. */
const rendering = new Map<string, number>();

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:before', (context) => {
    const { event } = context;
    if (!isArticlePage(event)) return;
    const page = usableCopy(event.path);
    if (!page) {
      const path = event.path;
      rendering.set(path, Date.now());
      event.context.sharedArticlePage = true;
      // However the render ends — a page, an error page (which Nuxt renders as a request of its
      // own, without render:response for this one) or a closed connection.
      event.node.res.once('close', () => {
        rendering.delete(path);
        // Gone or failing: readers see what a render says, not an older copy.
        if (event.node.res.statusCode !== 200) pages.delete(path);
      });
      return;
    }
    context.response = {
      body: page.body,
      headers: { ...page.headers, 'x-cache': 'HIT' },
      statusCode: 200,
    };
  });

  nitroApp.hooks.hook('render:response', (response, { event }) => {
    if (
      event.context.sharedArticlePage === true &&
      response.statusCode === 200 &&
      typeof response.body === 'string' &&
      !event.node.res.hasHeader('set-cookie')
    ) {
      pages.set(event.path, {
        body: response.body,
        headers: { ...response.headers },
        storedAt: Date.now(),
      });
    }
  });
});

/** A copy to serve now: a fresh one, or a recent one while another request renders anew. */
function usableCopy(path: string): CachedPage | undefined {
  const page = pages.get(path);
  if (!page) return undefined;
  const now = Date.now();
  const age = now - page.storedAt;
  if (age < PAGE_CACHE_TTL_MS) return page;
  const renderStarted = rendering.get(path);
  const renderUnderWay = renderStarted !== undefined && now - renderStarted < MAX_STALE_MS;
  return renderUnderWay && age < MAX_STALE_MS ? page : undefined;
}
