import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_KEYS_DIR } from './app-config.js';
import { devKeyPaths, ensureDefaultDevKeys } from './dev-keys.js';

// DEV_KEYS_DIR is relative to the working directory, as it is for `npm start`.
describe('ensureDefaultDevKeys', () => {
  const startDir = process.cwd();
  let checkout: string;

  beforeEach(() => {
    checkout = mkdtempSync(join(tmpdir(), 'renran-checkout-'));
    process.chdir(checkout);
  });
  afterEach(() => process.chdir(startDir));

  const defaults = () => devKeyPaths(join(checkout, DEV_KEYS_DIR));

  it('generates both development pairs into keys/ when a default key file is missing', () => {
    ensureDefaultDevKeys([defaults().appPrivateKey, defaults().alipayPublicKey]);

    const paths = defaults();
    // Each private key, written back in the encoding the pair should use, is the file itself;
    // each public key is its private key's.
    for (const [privatePath, publicPath, type] of [
      [paths.appPrivateKey, paths.appPublicKey, 'pkcs1'],
      [paths.alipayPrivateKey, paths.alipayPublicKey, 'pkcs8'],
    ] as const) {
      const privatePem = readFileSync(privatePath, 'utf8');
      const privateKey = createPrivateKey(privatePem);
      expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      expect(privateKey.export({ type, format: 'pem' })).toBe(privatePem);
      expect(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(
        readFileSync(publicPath, 'utf8'),
      );
    }
  });

  it('keeps keys that are already there', () => {
    ensureDefaultDevKeys([defaults().appPrivateKey]);
    const before = readFileSync(defaults().appPrivateKey, 'utf8');
    ensureDefaultDevKeys([defaults().appPrivateKey, defaults().alipayPublicKey]);
    expect(readFileSync(defaults().appPrivateKey, 'utf8')).toBe(before);
  });

  it('writes nothing when the keys are configured somewhere else, even if they are missing', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'renran-operator-keys-'));
    ensureDefaultDevKeys([join(elsewhere, 'app.pem'), join(elsewhere, 'alipay.pem')]);

    expect(existsSync(join(checkout, DEV_KEYS_DIR))).toBe(false);
    expect(existsSync(join(elsewhere, 'app.pem'))).toBe(false);
  });
});
