import type { IncomingMessage } from 'node:http';
import type { H3Event } from 'h3';

// Request bodies are counted while they stream in and refused with 413 the moment they pass
// the limit, chunked ones too, so a few large POSTs cannot fill this server's heap. h3's
// readBody / readRawBody would buffer any size; the body read here is handed to them (h3 reuses
// a raw body stored under this symbol), so each route still reads it the usual way.
const ARTICLE_BODY_LIMIT = 256 * 1024;
const BODY_LIMIT = 100 * 1024;
/** Articles are the one large thing a reader sends: POST/PATCH /api/article/**. */
const ARTICLE_ROUTE = /^\/api\/article(\/|$|\?)/;
const H3_RAW_BODY = Symbol.for('h3RawBody');
/** After refusing, the rest of an upload is discarded for at most this long, then cut off. */
const DISCARD_MS = 2_000;

export default defineEventHandler(async (event) => {
  const request = event.node.req;
  if (event.method === 'GET' || event.method === 'HEAD' || isInProcessRequest(event)) return;
  const limit = ARTICLE_ROUTE.test(event.path) ? ARTICLE_BODY_LIMIT : BODY_LIMIT;
  const declared = Number.parseInt(request.headers['content-length'] ?? '', 10);
  const chunked = /\bchunked\b/i.test(String(request.headers['transfer-encoding'] ?? ''));
  if (!chunked && !(declared > 0)) return;
  if (declared > limit) return refuse(event, limit);

  const body = await readWithin(request, limit);
  if (body === undefined) return refuse(event, limit);
  (request as IncomingMessage & { [H3_RAW_BODY]?: Promise<Buffer> })[H3_RAW_BODY] =
    Promise.resolve(body);
});

/** The whole body, or undefined as soon as it passes `limit` (the rest is left unread). */
function readWithin(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanUp();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(createError({ statusCode: 400, statusMessage: 'Bad Request', cause: error }));
    };
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * 413 at once, and the connection closed after it: what is still on its way is thrown away
 * unread (never buffered), and a sender that keeps going is cut off.
 */
function refuse(event: H3Event, limit: number) {
  const { req: request, res: response } = event.node;
  response.once('finish', () => {
    request.resume();
    setTimeout(() => request.socket.destroy(), DISCARD_MS).unref();
  });
  setResponseHeader(event, 'connection', 'close');
  setResponseStatus(event, 413);
  return {
    statusCode: 413,
    message: `请求体过大（上限 ${Math.round(limit / 1024)} kB）`,
    error: 'Payload Too Large',
  };
}
