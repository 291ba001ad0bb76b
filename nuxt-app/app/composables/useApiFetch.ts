import type { UseFetchOptions } from '#app';

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
    const event = useRequestEvent();
    const forwardedFor = event?.node.req.headers['x-forwarded-for'];
    // The shared article page asks as nobody: what it renders is served to every reader.
    const session = rendersWithoutReader() ? undefined : useCookie(SESSION_COOKIE).value;
    return useFetch(path, {
      ...options,
      baseURL: String(apiBase),
      headers: apiCallHeaders(session, typeof forwardedFor === 'string' ? forwardedFor : undefined),
      timeout: API_TIMEOUT_MS,
      // As the proxy does for an API it cannot reach (server/utils/api.ts).
      onRequestError: ({ error }) => {
        console.error(`[site] API call GET ${path} failed: ${String(error)}`);
      },
    });
  }
  return useFetch(`/api${path}`, options);
}
