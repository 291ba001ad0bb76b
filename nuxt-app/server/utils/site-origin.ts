import type { H3Event } from 'h3';

/**
 * Whether `origin` (a request's Origin header) is this site as the browser reached it. Behind a
 * trusted proxy (NUXT_TRUST_PROXY) its X-Forwarded-Host / X-Forwarded-Proto say which host and
 * scheme the browser used, and both must match. Without one the host must match, but not the
 * scheme: a proxy that terminates TLS in front of us would make every https Origin look
 * foreign, and the Host header is the browser's own (another site cannot set it).
 */
export function isSiteOrigin(event: H3Event, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a redirect across sites) or garbage
  }
  const trusted = trustsProxy();
  if (url.host !== getRequestHost(event, { xForwardedHost: trusted })) return false;
  if (!trusted) return url.protocol === 'http:' || url.protocol === 'https:';
  return url.protocol === `${getRequestProtocol(event, { xForwardedProto: true })}:`;
}

/** HTTPS as the browser sees it: X-Forwarded-Proto counts only behind a trusted proxy. */
export function requestIsHttps(event: H3Event): boolean {
  return getRequestProtocol(event, { xForwardedProto: trustsProxy() }) === 'https';
}

/**
 * Requests that this server makes to itself while rendering a page (useFetch during SSR) have
 * no socket; they carry the page request's headers and never come from another site.
 */
export function isInProcessRequest(event: H3Event): boolean {
  return !event.node.req.socket?.remoteAddress;
}
