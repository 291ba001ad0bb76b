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
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
}

/** Fresh RSA-2048 pairs per run: the app's (PKCS1) and "Alipay"'s (PKCS8), as `npm start` makes. */
export function generateTestKeys(): TestKeys {
  const dir = mkdtempSync(join(tmpdir(), 'renran-keys-'));
  const { paths } = ensureDevKeys(dir);
  return {
    dir,
    appPrivateKeyPath: paths.appPrivateKey,
    appPublicKeyPath: paths.appPublicKey,
    alipayPrivateKeyPath: paths.alipayPrivateKey,
    alipayPublicKeyPath: paths.alipayPublicKey,
    appPublicKey: readFileSync(paths.appPublicKey, 'utf8'),
    alipayPrivateKey: readFileSync(paths.alipayPrivateKey, 'utf8'),
    alipayPublicKey: readFileSync(paths.alipayPublicKey, 'utf8'),
  };
}
