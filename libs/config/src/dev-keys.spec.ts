import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEV_KEYS_DIR } from './app-config.js';
import { devKeyPaths, ensureDefaultDevKeys, ensureDevKeys } from './dev-keys.js';

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

  it('never replaces a lone key file: it stops naming the file and its missing half', () => {
    // An operator put Alipay's real public key into keys/ and nothing else.
    const paths = defaults();
    mkdirSync(join(checkout, DEV_KEYS_DIR));
    const alipaysKey = createPublicKey(
      createPrivateKey(
        readFileSync(
          ensureDevKeys(mkdtempSync(join(tmpdir(), 'renran-real-'))).paths.alipayPrivateKey,
        ),
      ),
    ).export({ type: 'spki', format: 'pem' });
    writeFileSync(paths.alipayPublicKey, alipaysKey);

    let failure: unknown;
    try {
      ensureDefaultDevKeys([paths.appPrivateKey, paths.alipayPublicKey]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain(paths.alipayPublicKey);
    expect((failure as Error).message).toContain(paths.alipayPrivateKey);
    expect(readFileSync(paths.alipayPublicKey, 'utf8')).toBe(alipaysKey);
    // Nothing was written, not even the app's pair that was missing as a whole.
    for (const path of [paths.alipayPrivateKey, paths.appPrivateKey, paths.appPublicKey]) {
      expect(existsSync(path)).toBe(false);
    }
  });

  it('stops on a private key whose public half is missing, leaving it as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renran-half-'));
    const { paths } = ensureDevKeys(dir);
    const before = readFileSync(paths.appPrivateKey, 'utf8');
    rmSync(paths.appPublicKey);

    expect(() => ensureDevKeys(dir)).toThrow(ConfigError);
    expect(() => ensureDevKeys(dir)).toThrow(
      `${paths.appPrivateKey} exists without ${paths.appPublicKey}`,
    );
    expect(readFileSync(paths.appPrivateKey, 'utf8')).toBe(before);
    expect(existsSync(paths.appPublicKey)).toBe(false);
  });

  it('generates a pair where neither file exists, keeping the complete pair beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renran-pair-'));
    const { paths } = ensureDevKeys(dir);
    const appKey = readFileSync(paths.appPrivateKey, 'utf8');
    rmSync(paths.alipayPrivateKey);
    rmSync(paths.alipayPublicKey);

    expect(ensureDevKeys(dir).created).toBe(true);
    expect(readFileSync(paths.appPrivateKey, 'utf8')).toBe(appKey);
    expect(existsSync(paths.alipayPrivateKey)).toBe(true);
    expect(ensureDevKeys(dir).created).toBe(false);
  });
});
