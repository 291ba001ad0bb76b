import type { UseFetchOptions } from '#app';

/** As the /api proxy's (server/utils/api.ts): an API that hangs fails the page, not the site. */
const API_TIMEOUT_MS = 20_000;

/**
 * useFetch for a read from the API, `path` as the API names it (`/article/`). In the browser
 * it goes through this server's /api proxy, which adds the session. While a page renders on
 * the server it calls the API directly with the headers that proxy would add: through /api it
 * would pass through this server's request handling a second time, which measurably cost each
 * article page (docs/BENCHMARKS.md). `key` is required: the URL differs on the two sides.
 */
export function useApiFetch<T>(path: string, options: UseFetchOptions<T> & { key: string }) {
  if (import.meta.server) {
    const { apiBase } = useRuntimeConfig();
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = useCookie(SESSION_COOKIE).value;
    if (token) headers.authorization = `Bearer ${token}`;
    // The reader's address, as server/middleware/client-ip.ts recorded it for the API's limits.
    const forwardedFor = useRequestEvent()?.node.req.headers['x-forwarded-for'];
    if (typeof forwardedFor === 'string') headers['x-forwarded-for'] = forwardedFor;
    return useFetch<T>(path, {
      ...options,
      baseURL: String(apiBase),
      headers,
      timeout: API_TIMEOUT_MS,
      // As the proxy does for an API it cannot reach (server/utils/api.ts).
      onRequestError: ({ error }) => {
        console.error(`[site] API call GET ${path} failed: ${String(error)}`);
      },
    });
  }
  return useFetch<T>(`/api${path}`, options);
}
