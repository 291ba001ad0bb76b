import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, DEV_ALIPAY_APP_ID, DEV_KEYS_DIR, devKeyFileNames } from './app-config.js';
import { issueDevCertificates } from './dev-certificates.js';

export interface DevKeyPaths {
  appPrivateKey: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
  /** The sandbox's test root CA: its private key and alipayRootCert.crt's stand-in. */
  rootCaPrivateKey: string;
  alipayRootCert: string;
  /** alipayCertPublicKey_RSA2.crt's stand-in, over alipayPublicKey. */
  alipayCert: string;
  /** appCertPublicKey_<appid>.crt's stand-in, over appPublicKey. */
  appCert: string;
}

export function devKeyPaths(dir: string): DevKeyPaths {
  const names = devKeyFileNames();
  return Object.fromEntries(
    Object.entries(names).map(([file, name]) => [file, join(dir, name)]),
  ) as Record<keyof typeof names, string>;
}

/**
 * Generates the two development RSA-2048 key pairs where they are missing: the app's (PKCS1,
 * as `openssl genrsa` writes it) and the local sandbox's "Alipay" pair (PKCS8, as Alipay's key
 * tool writes it), so both key formats are exercised; then the certificates of 公钥证书 mode
 * over those keys (a test root CA, the "Alipay" certificate, the app certificate; see
 * dev-certificates.ts). Never used in production.
 * A file is never overwritten: a pair is generated only where neither of its files exists,
 * the certificates only where none of their four files exists, and a set with a part missing
 * stops with a ConfigError naming the files: what is there may be real (Alipay's public key
 * put into keys/, say), never to be replaced.
 */
export function ensureDevKeys(dir: string): { created: boolean; paths: DevKeyPaths } {
  const paths = devKeyPaths(dir);
  const pairs = [
    { privatePath: paths.appPrivateKey, publicPath: paths.appPublicKey, format: 'pkcs1' },
    { privatePath: paths.alipayPrivateKey, publicPath: paths.alipayPublicKey, format: 'pkcs8' },
  ] as const;
  // Every pair is checked before anything is written, so a refusal leaves the folder as it was.
  const missing = pairs.filter((pair) => !pairIsComplete(pair.privatePath, pair.publicPath));
  const certificateFiles = [
    paths.rootCaPrivateKey,
    paths.alipayRootCert,
    paths.alipayCert,
    paths.appCert,
  ];
  const certificatesMissing = !setIsComplete(certificateFiles);
  mkdirSync(dir, { recursive: true });
  for (const pair of missing) writePair(pair.privatePath, pair.publicPath, pair.format);
  if (certificatesMissing) writeCertificates(paths);
  return { created: missing.length > 0 || certificatesMissing, paths };
}

/** All files there: true; none: false; some: a ConfigError naming what is there and what is not. */
function setIsComplete(files: string[]): boolean {
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) return false;
  if (present.length === files.length) return true;
  const absent = files.filter((file) => !present.includes(file));
  throw new ConfigError(
    resolve(present[0] ?? ''),
    `exists without ${absent.map((file) => resolve(file)).join(', ')}: the development certificates ` +
      'are issued only as a whole set and never over an existing file; move the others away too to get a new set',
  );
}

function writeCertificates(paths: DevKeyPaths): void {
  const issued = issueDevCertificates({
    appPublicKeyPem: readFileSync(paths.appPublicKey, 'utf8'),
    alipayPublicKeyPem: readFileSync(paths.alipayPublicKey, 'utf8'),
    appId: DEV_ALIPAY_APP_ID,
  });
  writeFileSync(paths.rootCaPrivateKey, issued.rootCaPrivateKeyPem, { mode: 0o600, flag: 'wx' });
  chmodSync(paths.rootCaPrivateKey, 0o600);
  writeFileSync(paths.alipayRootCert, issued.rootCertPem, { flag: 'wx' });
  writeFileSync(paths.alipayCert, issued.alipayCertPem, { flag: 'wx' });
  writeFileSync(paths.appCert, issued.appCertPem, { flag: 'wx' });
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
