import type { KeyObject } from 'node:crypto';
import { NOTICE_UNSIGNED_KEYS, buildSignContent } from './sign-content.js';
import { rsa2Sign } from './rsa2.js';

/**
 * Adds `sign` to a notification's or a return's parameters, signed as Alipay does: RSA2 over
 * every field but `sign` and `sign_type`, with the sandbox's "Alipay" private key.
 */
export function signNoticeParams(
  params: Readonly<Record<string, string>>,
  alipayPrivateKey: KeyObject,
): Record<string, string> {
  const sign = rsa2Sign(buildSignContent(params, NOTICE_UNSIGNED_KEYS), alipayPrivateKey);
  return { ...params, sign };
}

/** A signature that still looks like base64 but no longer verifies (fault injection). */
export function corruptSignature(sign: string): string {
  const index = Math.floor(sign.length / 2);
  const replacement = sign[index] === 'A' ? 'B' : 'A';
  return sign.slice(0, index) + replacement + sign.slice(index + 1);
}
