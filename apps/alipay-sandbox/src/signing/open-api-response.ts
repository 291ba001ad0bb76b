import type { KeyObject } from 'node:crypto';
import { rsa2Sign } from './rsa2.js';

/**
 * Alipay's Open API answer: `{"<method>_response": {...}, "sign": "..."}`, the signature over
 * the exact JSON text of the response object as it appears in the body. The object comes
 * first and the sign last, which is where clients (alipay-sdk's getSignStr) look for it.
 */
export function signedOpenApiBody(
  responseKey: string,
  response: Readonly<Record<string, string>>,
  alipayPrivateKey: KeyObject,
): string {
  const responseText = JSON.stringify(response);
  const sign = rsa2Sign(responseText, alipayPrivateKey);
  return `{${JSON.stringify(responseKey)}:${responseText},"sign":${JSON.stringify(sign)}}`;
}

/** `alipay.trade.query` -> `alipay_trade_query_response`. */
export function responseKeyOf(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}
