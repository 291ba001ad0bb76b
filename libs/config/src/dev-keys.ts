import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEV_KEYS_DIR } from './app-config.js';

export interface DevKeyPaths {
  appPrivateKey: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

export function devKeyPaths(dir: string): DevKeyPaths {
  return {
    appPrivateKey: join(dir, 'app_private_key.pem'),
    appPublicKey: join(dir, 'app_public_key.pem'),
    alipayPrivateKey: join(dir, 'alipay_private_key.pem'),
    alipayPublicKey: join(dir, 'alipay_public_key.pem'),
  };
}

/**
 * Generates the two development RSA-2048 key pairs when they are missing: the app's (PKCS1,
 * as `openssl genrsa` writes it) and the local sandbox's "Alipay" pair (PKCS8, as Alipay's key
 * tool writes it), so both key formats are exercised. Never used in production.
 */
export function ensureDevKeys(dir: string): { created: boolean; paths: DevKeyPaths } {
  const paths = devKeyPaths(dir);
  mkdirSync(dir, { recursive: true });
  let created = false;
  if (!existsSync(paths.appPrivateKey) || !existsSync(paths.appPublicKey)) {
    writePair(paths.appPrivateKey, paths.appPublicKey, 'pkcs1');
    created = true;
  }
  if (!existsSync(paths.alipayPrivateKey) || !existsSync(paths.alipayPublicKey)) {
    writePair(paths.alipayPrivateKey, paths.alipayPublicKey, 'pkcs8');
    created = true;
  }
  return { created, paths };
}

function writePair(privatePath: string, publicPath: string, format: 'pkcs1' | 'pkcs8'): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: format, format: 'pem' },
  });
  writeFileSync(privatePath, privateKey, { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, publicKey);
}

/**
 * What a service does at start-up outside production: when one of its configured key files
 * is the default one under `keys/` and is missing (a fresh clone), the development pairs are
 * generated there. Keys configured anywhere else are never written: a missing one is the
 * operator's to fix, and the service's own check names its variable.
 */
export function ensureDefaultDevKeys(configuredKeyPaths: string[]): void {
  const defaults = new Set(Object.values(devKeyPaths(resolve(DEV_KEYS_DIR))));
  const missingDefault = configuredKeyPaths.some(
    (path) => defaults.has(resolve(path)) && !existsSync(path),
  );
  if (missingDefault) ensureDevKeys(DEV_KEYS_DIR);
}
