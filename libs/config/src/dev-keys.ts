import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, DEV_KEYS_DIR } from './app-config.js';

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
 * Generates the two development RSA-2048 key pairs where they are missing: the app's (PKCS1,
 * as `openssl genrsa` writes it) and the local sandbox's "Alipay" pair (PKCS8, as Alipay's key
 * tool writes it), so both key formats are exercised. Never used in production.
 * A key file is never overwritten: a pair is generated only where neither of its files exists,
 * and a pair with one half missing stops with a ConfigError naming both files: the half that
 * is there may be a real key (Alipay's public key put into keys/, say), never to be replaced.
 */
export function ensureDevKeys(dir: string): { created: boolean; paths: DevKeyPaths } {
  const paths = devKeyPaths(dir);
  const pairs = [
    { privatePath: paths.appPrivateKey, publicPath: paths.appPublicKey, format: 'pkcs1' },
    { privatePath: paths.alipayPrivateKey, publicPath: paths.alipayPublicKey, format: 'pkcs8' },
  ] as const;
  // Every pair is checked before anything is written, so a refusal leaves the folder as it was.
  const missing = pairs.filter((pair) => !pairIsComplete(pair.privatePath, pair.publicPath));
  mkdirSync(dir, { recursive: true });
  for (const pair of missing) writePair(pair.privatePath, pair.publicPath, pair.format);
  return { created: missing.length > 0, paths };
}

/** Both files there: true; neither: false; one alone: a ConfigError naming both files. */
function pairIsComplete(privatePath: string, publicPath: string): boolean {
  const privateExists = existsSync(privatePath);
  const publicExists = existsSync(publicPath);
  if (privateExists === publicExists) return privateExists;
  const [present, absent] = privateExists ? [privatePath, publicPath] : [publicPath, privatePath];
  throw new ConfigError(
    resolve(present),
    `exists without ${resolve(absent)}: development keys are generated only as whole pairs and never ` +
      'over an existing file; add the missing half, or move this file away to get a new dev pair',
  );
}

function writePair(privatePath: string, publicPath: string, format: 'pkcs1' | 'pkcs8'): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: format, format: 'pem' },
  });
  // 'wx': should another process have written a file meanwhile, fail rather than replace it.
  writeFileSync(privatePath, privateKey, { mode: 0o600, flag: 'wx' });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, publicKey, { flag: 'wx' });
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
