/**
 * Counts one read of the article once its page is shown in a browser: the page is rendered
 * without counting (`?count=0`), so it is counted the same whether this server rendered it,
 * served it from its page cache, or a CDN served a copy. sendBeacon survives the reader
 * leaving at once; where it is missing, a keepalive fetch does the same.
 */
export function useReadBeacon(articleId: number): void {
  onMounted(() => {
    const url = `/api/article/${articleId}/read`;
    if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url)) return;
    void fetch(url, { method: 'POST', keepalive: true, credentials: 'same-origin' }).catch(
      () => undefined,
    );
  });
}
