import type { H3Event } from 'h3';

export interface ApiCall {
  method?: string;
  /** Sent as is (the proxy forwards the browser's bytes). */
  body?: BodyInit;
  contentType?: string;
  idempotencyKey?: string;
}

/**
 * Calls the API from this server on behalf of the browser: adds `Authorization` from the
 * session cookie and `X-Forwarded-For` with the browser's address (set by
 * server/middleware/client-ip.ts), so the API's per-IP limits see the reader, not us.
 * An unreachable API becomes a 502 in the API's own error shape.
 */
export async function callApi(event: H3Event, path: string, call: ApiCall = {}): Promise<Response> {
  const headers = apiCallHeaders(getCookie(event, SESSION_COOKIE), clientIp(event));
  if (call.contentType) headers['content-type'] = call.contentType;
  if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
  const method = call.method ?? 'GET';
  const send = () =>
    fetch(`${siteSettings().apiBase}${path}`, {
      method,
      headers,
      body: call.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  try {
    try {
      return await send();
    } catch (error) {
      // A pooled keep-alive connection the API closed just as it was reused fails at once;
      // a GET is safe to send again on a fresh one. Timeouts are not retried.
      if (method !== 'GET' || (error as Error).name === 'TimeoutError') throw error;
      return await send();
    }
  } catch (error) {
    console.error(`[site] API call ${method} ${path} failed: ${String(error)}`);
    return Response.json(
      { statusCode: 502, message: '服务暂时不可用，请稍后重试', error: 'Bad Gateway' },
      { status: 502 },
    );
  }
}

/** Calls the API with a JSON body and reads its JSON answer. */
export async function callApiJson<T>(
  event: H3Event,
  path: string,
  method: string,
  body?: unknown,
): Promise<{ status: number; data: T; retryAfter: string | null }> {
  const response = await callApi(event, path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    contentType: body === undefined ? undefined : 'application/json',
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { statusCode: 502, message: '服务返回了无法识别的内容', error: 'Bad Gateway' };
  }
  return {
    status: response.status,
    data: data as T,
    retryAfter: response.headers.get('retry-after'),
  };
}

/** The browser's address as recorded by the client-ip middleware. */
export function clientIp(event: H3Event): string | undefined {
  const value = event.node.req.headers['x-forwarded-for'];
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
}

/** NUXT_TRUST_PROXY: a reverse proxy in front of this server sets X-Forwarded-* headers. */
export function trustsProxy(): boolean {
  return siteSettings().trustProxy;
}

let settings: { apiBase: string; trustProxy: boolean } | undefined;

/**
 * The runtime config this server needs, read once: `useRuntimeConfig(event)` copies the
 * config and re-applies the environment to it on every call, a measurable share of each page
 * (docs/BENCHMARKS.md), and the environment of a Node server does not change while it runs.
 */
function siteSettings(): { apiBase: string; trustProxy: boolean } {
  if (!settings) {
    const config = useRuntimeConfig();
    const trustProxy: unknown = config.trustProxy;
    settings = {
      apiBase: String(config.apiBase).replace(/\/+$/, ''),
      trustProxy: trustProxy === true || trustProxy === 'true' || trustProxy === '1',
    };
  }
  return settings;
}
