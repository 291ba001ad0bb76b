import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  DEV_KEYS_DIR,
  loadConfig,
  readAlipayCredentials,
  type AlipayConfig,
} from './app-config.js';
import { ensureDevKeys } from './dev-keys.js';
import { makeOperatorFiles, OPERATOR_APP_ID } from './testing/operator-files.js';

const operator = makeOperatorFiles();
const certificateVariables = {
  ALIPAY_APP_CERT_PATH: operator.appCert,
  ALIPAY_PUBLIC_CERT_PATH: operator.alipayCert,
  ALIPAY_ROOT_CERT_PATH: operator.alipayRootCert,
};
const production = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgres://renran:pw@db:5432/renran',
  JWT_SECRET: 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga',
  ALIPAY_APP_ID: OPERATOR_APP_ID,
  ALIPAY_APP_PRIVATE_KEY_PATH: operator.appPrivateKey,
  ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
  ALIPAY_NOTIFY_URL: 'https://api.example.cn/payments/alipay/result/',
  ALIPAY_RETURN_URL: 'https://www.example.cn/wallet',
  ...certificateVariables,
};

function failureOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Alipay key mode', () => {
  it('is certificate mode with the development certificates in keys/ when nothing is set', () => {
    const { alipay } = loadConfig({});
    expect(alipay.keyMode).toBe('certificate');
    expect(alipay.alipayPublicKeyPath).toBeUndefined();
    expect(alipay.certificates).toEqual({
      appCertPath: resolve(DEV_KEYS_DIR, 'app_cert.crt'),
      alipayPublicCertPath: resolve(DEV_KEYS_DIR, 'alipay_public_cert.crt'),
      alipayRootCertPath: resolve(DEV_KEYS_DIR, 'alipay_root_cert.crt'),
    });
  });

  it('is public-key mode when ALIPAY_PUBLIC_KEY_PATH is set', () => {
    const { alipay } = loadConfig({ ALIPAY_PUBLIC_KEY_PATH: operator.alipayPublicKey });
    expect(alipay).toMatchObject({
      keyMode: 'publicKey',
      alipayPublicKeyPath: operator.alipayPublicKey,
    });
    expect(alipay.certificates).toBeUndefined();
  });

  it('is certificate mode with the three files given, in production too', () => {
    const { alipay } = loadConfig(production);
    expect(alipay.keyMode).toBe('certificate');
    expect(alipay.certificates).toEqual({
      appCertPath: operator.appCert,
      alipayPublicCertPath: operator.alipayCert,
      alipayRootCertPath: operator.alipayRootCert,
    });
  });

  it('accepts public-key mode in production', () => {
    const {
      ALIPAY_APP_CERT_PATH: _app,
      ALIPAY_PUBLIC_CERT_PATH: _alipay,
      ALIPAY_ROOT_CERT_PATH: _root,
      ...withoutCertificates
    } = production;
    const config = loadConfig({
      ...withoutCertificates,
      ALIPAY_PUBLIC_KEY_PATH: operator.alipayPublicKey,
    });
    expect(config.alipay.keyMode).toBe('publicKey');
  });

  it.each(['development', 'production'])('refuses both modes at once (%s)', (appEnv) => {
    const error = failureOf(() =>
      loadConfig({
        ...production,
        APP_ENV: appEnv,
        ALIPAY_PUBLIC_KEY_PATH: operator.alipayPublicKey,
      }),
    );
    expect(error.variable).toBe('ALIPAY_PUBLIC_KEY_PATH');
    expect(error.message).toContain('ALIPAY_APP_CERT_PATH');
    expect(error.message).toContain('not both');
  });

  const names = Object.keys(certificateVariables) as (keyof typeof certificateVariables)[];
  const partialSets = [
    [names[0]],
    [names[1]],
    [names[2]],
    [names[0], names[1]],
    [names[0], names[2]],
    [names[1], names[2]],
  ] as (keyof typeof certificateVariables)[][];
  it.each(partialSets)('refuses part of the certificates: only %s (and %s)', (...given) => {
    const env: Record<string, string> = {};
    for (const name of given) env[name] = certificateVariables[name];
    const error = failureOf(() => loadConfig(env));
    const missing = names.filter((name) => !given.includes(name));
    expect(error.variable).toBe(missing.join(', '));
    expect(error.message).toContain('certificate mode needs');
  });

  it('production with neither mode stops, naming both ways', () => {
    const {
      ALIPAY_APP_CERT_PATH: _app,
      ALIPAY_PUBLIC_CERT_PATH: _alipay,
      ALIPAY_ROOT_CERT_PATH: _root,
      ...neither
    } = production;
    const error = failureOf(() => loadConfig(neither));
    expect(error.variable).toBe('ALIPAY_APP_CERT_PATH');
    expect(error.message).toContain('ALIPAY_PUBLIC_KEY_PATH');
  });
});

describe('readAlipayCredentials', () => {
  const certificateConfig = (overrides: Partial<AlipayConfig['certificates']> = {}) =>
    ({
      appId: OPERATOR_APP_ID,
      appPrivateKeyPath: operator.appPrivateKey,
      keyMode: 'certificate',
      certificates: {
        appCertPath: operator.appCert,
        alipayPublicCertPath: operator.alipayCert,
        alipayRootCertPath: operator.alipayRootCert,
        ...overrides,
      },
      gateway: 'https://openapi.alipay.com/gateway.do',
      notifyUrl: 'https://api.example.cn/n',
      returnUrl: 'https://www.example.cn/r',
      sellerId: undefined,
    }) satisfies AlipayConfig;
  const scratch = mkdtempSync(join(tmpdir(), 'renran-bad-certs-'));

  it('reads the key and the three certificates as they are on disk', () => {
    const credentials = readAlipayCredentials(certificateConfig());
    expect(credentials.appPrivateKeyPem).toBe(readFileSync(operator.appPrivateKey, 'utf8'));
    expect(credentials.certificates?.appCertPem).toBe(readFileSync(operator.appCert, 'utf8'));
    expect(credentials.alipayPublicKeyPem).toBeUndefined();
  });

  it('accepts a root file holding several certificates, as Alipay ships alipayRootCert.crt', () => {
    const chain = join(scratch, 'root-chain.crt');
    writeFileSync(
      chain,
      readFileSync(operator.alipayRootCert, 'utf8') + readFileSync(operator.alipayCert, 'utf8'),
    );
    expect(() =>
      readAlipayCredentials(certificateConfig({ alipayRootCertPath: chain })),
    ).not.toThrow();
  });

  it.each([
    ['appCertPath', 'ALIPAY_APP_CERT_PATH'],
    ['alipayPublicCertPath', 'ALIPAY_PUBLIC_CERT_PATH'],
    ['alipayRootCertPath', 'ALIPAY_ROOT_CERT_PATH'],
  ] as const)(
    'names %s when its file is missing, not a certificate, or garbled',
    (field, variable) => {
      const missing = failureOf(() =>
        readAlipayCredentials(certificateConfig({ [field]: join(scratch, 'nowhere.crt') })),
      );
      expect(missing.variable).toBe(variable);
      expect(missing.message).toContain('missing file');

      // A public key where a certificate belongs: the most likely mix-up.
      const notACert = failureOf(() =>
        readAlipayCredentials(certificateConfig({ [field]: operator.alipayPublicKey })),
      );
      expect(notACert.variable).toBe(variable);
      expect(notACert.message).toContain('X.509');

      const garbled = join(scratch, `garbled-${field}.crt`);
      writeFileSync(
        garbled,
        '-----BEGIN CERTIFICATE-----\nTUlJQ2dhcmJsZWQ=\n-----END CERTIFICATE-----\n',
      );
      const garbledError = failureOf(() =>
        readAlipayCredentials(certificateConfig({ [field]: garbled })),
      );
      expect(garbledError.variable).toBe(variable);
    },
  );

  it("refuses an app certificate that is not over the app's private key", () => {
    const other = makeOperatorFiles();
    const error = failureOf(() =>
      readAlipayCredentials(certificateConfig({ appCertPath: other.appCert })),
    );
    expect(error.variable).toBe('ALIPAY_APP_CERT_PATH');
    expect(error.message).toContain('ALIPAY_APP_PRIVATE_KEY_PATH');
  });

  it('refuses more than one certificate in the app or Alipay certificate file', () => {
    const two = join(scratch, 'two.crt');
    writeFileSync(
      two,
      readFileSync(operator.appCert, 'utf8') + readFileSync(operator.alipayCert, 'utf8'),
    );
    expect(
      failureOf(() => readAlipayCredentials(certificateConfig({ appCertPath: two }))).variable,
    ).toBe('ALIPAY_APP_CERT_PATH');
  });

  it('names ALIPAY_APP_PRIVATE_KEY_PATH when it is not a private key', () => {
    const error = failureOf(() =>
      readAlipayCredentials({ ...certificateConfig(), appPrivateKeyPath: operator.appCert }),
    );
    expect(error.variable).toBe('ALIPAY_APP_PRIVATE_KEY_PATH');
  });

  it('reads and checks the public key in public-key mode', () => {
    const config: AlipayConfig = {
      ...certificateConfig(),
      keyMode: 'publicKey',
      certificates: undefined,
      alipayPublicKeyPath: operator.alipayPublicKey,
    };
    expect(readAlipayCredentials(config).alipayPublicKeyPem).toBe(
      readFileSync(operator.alipayPublicKey, 'utf8'),
    );
    const error = failureOf(() =>
      readAlipayCredentials({ ...config, alipayPublicKeyPath: operator.appCert }),
    );
    expect(error.variable).toBe('ALIPAY_PUBLIC_KEY_PATH');
  });
});

describe('production refuses the sandbox certificates', () => {
  const startDir = process.cwd();
  afterEach(() => process.chdir(startDir));

  it('refuses certificates under the development keys/ folder', () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'renran-checkout-')));
    const dev = ensureDevKeys(DEV_KEYS_DIR).paths;
    const error = failureOf(() =>
      loadConfig({ ...production, ALIPAY_ROOT_CERT_PATH: dev.alipayRootCert }),
    );
    expect(error.variable).toBe('ALIPAY_ROOT_CERT_PATH');
    expect(error.message).toContain(resolve(DEV_KEYS_DIR));
  });

  it("refuses certificates issued by the sandbox's test CA, wherever they are copied", () => {
    const dev = ensureDevKeys(mkdtempSync(join(tmpdir(), 'renran-made-'))).paths;
    const copies = mkdtempSync(join(tmpdir(), 'renran-copied-'));
    for (const file of ['appCert', 'alipayCert', 'alipayRootCert', 'appPrivateKey'] as const) {
      copyFileSync(dev[file], join(copies, file));
    }
    const error = failureOf(() =>
      loadConfig({
        ...production,
        ALIPAY_APP_PRIVATE_KEY_PATH: join(copies, 'appPrivateKey'),
        ALIPAY_APP_CERT_PATH: join(copies, 'appCert'),
        ALIPAY_PUBLIC_CERT_PATH: join(copies, 'alipayCert'),
        ALIPAY_ROOT_CERT_PATH: join(copies, 'alipayRootCert'),
      }),
    );
    expect(error.variable).toBe('ALIPAY_APP_CERT_PATH');
    expect(error.message).toContain("sandbox's test CA");
  });

  it("refuses an Alipay certificate with Alipay's private key lying beside it", () => {
    const folder = mkdtempSync(join(tmpdir(), 'renran-beside-'));
    const alipayCert = join(folder, 'alipayCertPublicKey_RSA2.crt');
    copyFileSync(operator.alipayCert, alipayCert);
    copyFileSync(operator.alipayPrivateKeyElsewhere, join(folder, 'alipay_private_key.pem'));
    const error = failureOf(() =>
      loadConfig({ ...production, ALIPAY_PUBLIC_CERT_PATH: alipayCert }),
    );
    expect(error.variable).toBe('ALIPAY_PUBLIC_CERT_PATH');
    expect(error.message).toContain('alipay_private_key.pem');
  });
});
