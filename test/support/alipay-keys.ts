import { ensureDevKeys } from '@renran/config';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKeys {
  dir: string;
  appPrivateKeyPath: string;
  appPublicKeyPath: string;
  alipayPrivateKeyPath: string;
  alipayPublicKeyPath: string;
  /** 公钥证书 mode: the app certificate, the "Alipay" certificate and the test root CA's. */
  appCertPath: string;
  alipayCertPath: string;
  rootCertPath: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

/**
 * Fresh RSA-2048 pairs per run: the app's (PKCS1) and "Alipay"'s (PKCS8), and the
 * certificates over them from a fresh test root CA, as `npm start` makes them.
 */
export function generateTestKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'renran-keys-'));
  const { paths } = ensureDevKeys(dir);
  return {
    dir,
    appPrivateKeyPath: paths.appPrivateKey,
    appPublicKeyPath: paths.appPublicKey,
    alipayPrivateKeyPath: paths.alipayPrivateKey,
    alipayPublicKeyPath: paths.alipayPublicKey,
    appCertPath: paths.appCert,
    alipayCertPath: paths.alipayCert,
    rootCertPath: paths.alipayRootCert,
    appPublicKey: readFileSync(paths.appPublicKey, 'utf8'),
    alipayPrivateKey: readFileSync(paths.alipayPrivateKey, 'utf8'),
    alipayPublicKey: readFileSync(paths.alipayPublicKey, 'utf8'),
  };
}

export type KeyMode = 'certificate' | 'publicKey';

/**
 * The variables that put the API in one key mode with these keys. The tests run in
 * certificate mode unless they ask for public-key mode (or set ALIPAY_PUBLIC_KEY_PATH).
 */
export function keyModeEnv(keys: TestKeys, mode: KeyMode): Record<string, string> {
  return mode === 'publicKey'
    ? { ALIPAY_PUBLIC_KEY_PATH: keys.alipayPublicKeyPath }
    : {
        ALIPAY_APP_CERT_PATH: keys.appCertPath,
        ALIPAY_PUBLIC_CERT_PATH: keys.alipayCertPath,
        ALIPAY_ROOT_CERT_PATH: keys.rootCertPath,
      };
}

/** The mode an override env asks for: public-key mode if it names Alipay's public key. */
export function keyModeOf(env: Record<string, string>): KeyMode {
  return env.ALIPAY_PUBLIC_KEY_PATH === undefined ? 'certificate' : 'publicKey';
}
