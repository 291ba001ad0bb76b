import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKeys {
  dir: string;
  appPrivateKeyPath: string;
  appPublicKeyPath: string;
  alipayPrivateKeyPath: string;
  alipayPublicKeyPath: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

/** Fresh RSA-2048 pairs per run: the app's (PKCS1) and "Alipay"'s (PKCS8). */
export function generateTestKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'renran-keys-'));
  const pair = (type: 'pkcs1' | 'pkcs8') =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type, format: 'pem' },
    });
  const app = pair('pkcs1');
  const alipay = pair('pkcs8');
  const keys: TestKeys = {
    dir,
    appPrivateKeyPath: join(dir, 'app_private_key.pem'),
    appPublicKeyPath: join(dir, 'app_public_key.pem'),
    alipayPrivateKeyPath: join(dir, 'alipay_private_key.pem'),
    alipayPublicKeyPath: join(dir, 'alipay_public_key.pem'),
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
  };
  writeFileSync(keys.appPrivateKeyPath, app.privateKey);
  writeFileSync(keys.appPublicKeyPath, app.publicKey);
  writeFileSync(keys.alipayPrivateKeyPath, alipay.privateKey);
  writeFileSync(keys.alipayPublicKeyPath, alipay.publicKey);
  return keys;
}
