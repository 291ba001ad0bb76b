// Records the browser's address for the API's per-IP limits. A real connection overwrites
// whatever X-Forwarded-For the browser sent (it cannot be trusted); the in-process requests
// that server-side rendering makes to /api have no socket address and keep the header copied
// from the page request, which this middleware already set.
export default defineEventHandler((event) => {
  const socketAddress = event.node.req.socket?.remoteAddress;
  if (socketAddress) {
    event.node.req.headers['x-forwarded-for'] = socketAddress;
  }
});
