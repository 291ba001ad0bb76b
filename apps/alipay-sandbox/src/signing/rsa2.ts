import { createPrivateKey, createPublicKey, createSign, createVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** RSA2 = SHA256withRSA over the UTF-8 bytes, base64 signature. */
export function rsa2Sign(content: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

export function rsa2Verify(content: string, signature: string, publicKey: KeyObject): boolean {
  if (signature === '') return false;
  try {
    return createVerify('RSA-SHA256')
      .update(content, 'utf8')
      .verify(publicKey, signature, 'base64');
  } catch {
    // A signature that is not even base64 of the right length is simply wrong.
    return false;
  }
}

const PEM_PATTERN = /-----BEGIN [A-Z ]+-----/;

/**
 * Reads a private key as PEM (PKCS1 `RSA PRIVATE KEY` or PKCS8 `PRIVATE KEY`), or as the bare
 * base64 body Alipay's key tool prints (PKCS8 first, then PKCS1).
 */
export function loadPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (PEM_PATTERN.test(trimmed)) return createPrivateKey(trimmed);
  const body = trimmed.replace(/\s+/g, '');
  try {
    return createPrivateKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'pkcs1' });
  }
}

/** Reads a public key as PEM (SPKI or PKCS1) or as a bare base64 SPKI body. */
export function loadPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (PEM_PATTERN.test(trimmed)) return createPublicKey(trimmed);
  const body = trimmed.replace(/\s+/g, '');
  return createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
}
