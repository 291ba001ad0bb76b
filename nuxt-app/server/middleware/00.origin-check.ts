// Cross-site request refusal for every route that changes something (DESIGN.md "The site's
// defences"). SameSite=Lax keeps the session cookie off cross-site POSTs, but not the forms
// that need no session: a cross-site form could log a reader into the attacker's account
// (login CSRF). A browser says where a request comes from in Origin (and Sec-Fetch-Site);
// a request with neither header is not from a browser, so no cookie of a victim rides on it.
const SAFE_METHODS = new Set(['GET', 'HEAD']);
const SAME_SITE_FETCHES = new Set(['same-origin', 'none']);

export default defineEventHandler((event) => {
  if (SAFE_METHODS.has(event.method) || isInProcessRequest(event)) return;
  const origin = getRequestHeader(event, 'origin');
  const fetchSite = getRequestHeader(event, 'sec-fetch-site');
  const allowed =
    origin !== undefined
      ? isSiteOrigin(event, origin)
      : fetchSite === undefined || SAME_SITE_FETCHES.has(fetchSite);
  if (allowed) return;
  setResponseStatus(event, 403);
  return {
    statusCode: 403,
    message: '拒绝来自其他网站的请求',
    error: 'Forbidden',
  };
});
