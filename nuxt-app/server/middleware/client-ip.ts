// Records the browser's address for the API's per-IP limits. A real connection overwrites
// whatever X-Forwarded-For the browser sent (it cannot be trusted), unless NUXT_TRUST_PROXY
// says a reverse proxy in front of us appends the reader's address (then its last entry is
// the one that proxy saw). The in-process requests that server-side rendering makes to /api
// have no socket address and keep the header copied from the page request, already set here.
export default defineEventHandler((event) => {
  const socketAddress = event.node.req.socket?.remoteAddress;
  if (!socketAddress) return;
  const forwarded = event.node.req.headers['x-forwarded-for'];
  const lastHop = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .pop();
  event.node.req.headers['x-forwarded-for'] = trustsProxy() && lastHop ? lastHop : socketAddress;
});
