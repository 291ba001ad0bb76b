import type { Request } from 'express';

/** The caller's address as Express resolved it (X-Forwarded-For only from TRUST_PROXY). */
export function clientIp(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
