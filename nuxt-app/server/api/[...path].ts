// Forwards the browser's /api/** calls to the API: method, query, body, status and body back
// unchanged, with the session's Authorization added. Only the API areas the site uses are
// reachable, and never /users/login itself (its answer carries the token; the site logs in
// through /api/session/login, which keeps the token in the cookie).
const ALLOWED_PATHS = [/^\/article(\/|$)/, /^\/users\/me(\/|$)/, /^\/payments\//, /^\/admin\//];

// content-disposition: the statement's CSV arrives as a named download, not a page.
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-disposition',
  'retry-after',
  'cache-control',
];

export default defineEventHandler(async (event) => {
  const [rawPath = '', rawQuery] = splitOnce(event.path, '?');
  const apiPath = rawPath.replace(/^\/api(?=\/)/, '');
  if (!isAllowedPath(apiPath)) {
    setResponseStatus(event, 404);
    return { statusCode: 404, message: '接口不存在', error: 'Not Found' };
  }

  const method = event.method;
  const hasBody = !['GET', 'HEAD'].includes(method);
  const body = hasBody ? await readRawBody(event, false) : undefined;
  const response = await callApi(
    event,
    rawQuery === undefined ? apiPath : `${apiPath}?${rawQuery}`,
    {
      method,
      body: body ? new Uint8Array(body) : undefined,
      contentType: hasBody ? getRequestHeader(event, 'content-type') : undefined,
      idempotencyKey: getRequestHeader(event, 'idempotency-key'),
    },
  );

  // The API refused the token (expired, or its user is gone): forget it.
  if (response.status === 401 && getCookie(event, SESSION_COOKIE)) {
    clearSessionCookie(event);
  }
  setResponseStatus(event, response.status, response.statusText);
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value) setResponseHeader(event, name, value);
  }
  return new Uint8Array(await response.arrayBuffer());
});

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const index = value.indexOf(separator);
  return index === -1 ? [value, undefined] : [value.slice(0, index), value.slice(index + 1)];
}

/**
 * Refuses dot segments (also percent-encoded ones, which URL parsing would resolve and so
 * step out of the allowed area) and backslashes, then checks the allowed areas.
 */
function isAllowedPath(path: string): boolean {
  if (path.includes('\\')) return false;
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (decoded === '.' || decoded === '..' || /[\\/]/.test(decoded)) return false;
  }
  return ALLOWED_PATHS.some((pattern) => pattern.test(path));
}
