// Headers for every response that are not about one page's content (the page's own policy
// and caching: server/plugins/01.page-security-headers.ts). nosniff, Referrer-Policy and the
// frame refusal also reach the built assets through routeRules in nuxt.config.ts; HSTS needs
// to know whether the browser came over TLS (also through a trusted proxy), so it is set here.
const HSTS = 'max-age=31536000';

export default defineEventHandler((event) => {
  if (requestIsHttps(event)) setResponseHeader(event, 'strict-transport-security', HSTS);
});
