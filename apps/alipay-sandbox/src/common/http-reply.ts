import type { Response } from 'express';

/** What a sandbox page or gateway call answers, decided by a service and written by a controller. */
export type HttpReply =
  | { kind: 'html'; status: number; html: string }
  | { kind: 'json'; status: number; body: string }
  | { kind: 'redirect'; location: string };

export const htmlReply = (html: string, status = 200): HttpReply => ({
  kind: 'html',
  status,
  html,
});

// Pages are self-contained: no scripts, inline style only; the 确认付款 form may be
// redirected on to the merchant's return_url, so form-action allows http(s).
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'";

export function sendReply(response: Response, reply: HttpReply): void {
  if (response.headersSent || response.destroyed) return;
  switch (reply.kind) {
    case 'html':
      response
        .status(reply.status)
        .set('Content-Security-Policy', PAGE_CSP)
        .set('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(reply.html);
      return;
    case 'json':
      // Sent as the exact text that was signed: Express must not re-serialise it.
      response.status(reply.status).type('application/json; charset=utf-8').send(reply.body);
      return;
    case 'redirect':
      response.set('Cache-Control', 'no-store').redirect(302, reply.location);
      return;
  }
}
