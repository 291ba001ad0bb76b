import { generateKeyPairSync } from 'node:crypto';
import { loadPrivateKey, loadPublicKey, rsa2Sign, rsa2Verify } from './rsa2.js';

const pkcs1 = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const pkcs8 = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const bareBody = (pem: string): string =>
  pem
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .join('');

describe('RSA2 signing', () => {
  it.each([
    ['PKCS1 PEM', pkcs1.privateKey, pkcs1.publicKey],
    ['PKCS8 PEM', pkcs8.privateKey, pkcs8.publicKey],
    [
      'bare PKCS8 base64 and bare SPKI base64',
      bareBody(pkcs8.privateKey),
      bareBody(pkcs8.publicKey),
    ],
    ['bare PKCS1 base64', bareBody(pkcs1.privateKey), pkcs1.publicKey],
  ])('signs and verifies with %s keys', (_name, privatePem, publicPem) => {
    const content = 'app_id=2021000000000001&subject=赞赏&timestamp=2026-11-26 08:00:00';
    const signature = rsa2Sign(content, loadPrivateKey(privatePem));
    expect(rsa2Verify(content, signature, loadPublicKey(publicPem))).toBe(true);
  });

  it.each([
    ['another content', (sign: string) => ({ content: 'a=2', sign })],
    ['an empty signature', () => ({ content: 'a=1', sign: '' })],
    ['garbage', () => ({ content: 'a=1', sign: '!!not base64!!' })],
    ['a truncated signature', (sign: string) => ({ content: 'a=1', sign: sign.slice(0, 20) })],
  ])('refuses %s', (_name, tamper) => {
    const sign = rsa2Sign('a=1', loadPrivateKey(pkcs1.privateKey));
    const forged = tamper(sign);
    expect(rsa2Verify(forged.content, forged.sign, loadPublicKey(pkcs1.publicKey))).toBe(false);
  });

  it('refuses a signature made with another key', () => {
    const sign = rsa2Sign('a=1', loadPrivateKey(pkcs8.privateKey));
    expect(rsa2Verify('a=1', sign, loadPublicKey(pkcs1.publicKey))).toBe(false);
  });
});
