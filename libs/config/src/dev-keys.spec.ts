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
    expect(readFileSync(paths.appPrivateKey, 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(readFileSync(paths.alipayPrivateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(readFileSync(paths.appPublicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(readFileSync(paths.alipayPublicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
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
