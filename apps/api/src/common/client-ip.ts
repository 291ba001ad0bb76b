/** What clientIp reads: Fastify's request (and Express's) has both. */
export interface RequestWithIp {
  ip?: string;
  socket: { remoteAddress?: string };
}

/** The caller's address as the server resolved it (X-Forwarded-For only from TRUST_PROXY). */
export function clientIp(request: RequestWithIp): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
