import { encodeForm } from '../common/form-encoding.js';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  status: number;
  body: string;
}

/** Enough of the merchant's answer to show it; `success` is 7 bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * POSTs `application/x-www-form-urlencoded` as Alipay's notifier does: no cookies, no
 * redirects followed, one fresh connection per notice. Rejects on network errors, on timeout
 * and when `signal` aborts.
 */
export function postForm(
  url: string,
  params: Readonly<Record<string, string>>,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<PostResult> {
  const body = Buffer.from(encodeForm(params), 'utf8');
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: 'POST',
        agent: false,
        signal: options.signal,
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': String(body.length),
          'user-agent': 'Mozilla/4.0 (Renran Alipay sandbox notifier)',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
