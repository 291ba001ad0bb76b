import type { KeyObject } from 'node:crypto';
import { rsa2Sign } from './rsa2.js';

/**
 * Alipay's Open API answer: `{"<method>_response": {...}, "sign": "..."}`, the signature over
 * the exact JSON text of the response object as it appears in the body. The object comes
 * first and the sign last, which is where clients (alipay-sdk's getSignStr) look for it. To a
 * caller in 公钥证书 mode Alipay also names the certificate whose key signed:
 * `"alipay_cert_sn"` between the two (outside the signed text).
 */
export function signedOpenApiBody(
  responseKey: string,
  response: Readonly<Record<string, string>>,
  alipayPrivateKey: KeyObject,
  alipayCertSn?: string,
): string {
  const responseText = JSON.stringify(response);
  const sign = rsa2Sign(responseText, alipayPrivateKey);
  const certSn =
    alipayCertSn === undefined ? '' : `"alipay_cert_sn":${JSON.stringify(alipayCertSn)},`;
  return `{${JSON.stringify(responseKey)}:${responseText},${certSn}"sign":${JSON.stringify(sign)}}`;
}

/** `alipay.trade.query` -> `alipay_trade_query_response`. */
export function responseKeyOf(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}
