import { createSign, createVerify } from 'node:crypto';

/**
 * Plays Alipay's side of the signatures with node:crypto only, never with alipay-sdk's own
 * signer, so a mistake shared by the SDK and our use of it cannot pass unnoticed.
 */
export function signContent(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== '' && params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** Signs a notification or return as Alipay does: every field but sign and sign_type. */
export function signAsAlipay(
  params: Record<string, string>,
  alipayPrivateKey: string,
): Record<string, string> {
  const content = signContent(params, ['sign', 'sign_type']);
  const sign = createSign('RSA-SHA256').update(content, 'utf8').sign(alipayPrivateKey, 'base64');
  return { ...params, sign_type: 'RSA2', sign };
}

/** Verifies a request we sent (page-pay URL): every parameter but sign, with the app key. */
export function verifyAppSignature(params: Record<string, string>, appPublicKey: string): boolean {
  const content = signContent(params, ['sign']);
  return createVerify('RSA-SHA256')
    .update(content, 'utf8')
    .verify(appPublicKey, params.sign ?? '', 'base64');
}
