import { ConfigError, DEV_ALIPAY_APP_ID, DEV_ALIPAY_SELLER_ID } from '@renran/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureSandboxKeyFiles, loadSandboxConfig } from './sandbox-config.js';

function failureOf(env: Record<string, string>): ConfigError {
  try {
    loadSandboxConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadSandboxConfig to fail');
}

describe('loadSandboxConfig', () => {
  it('has development defaults with no variables at all', () => {
    expect(loadSandboxConfig({})).toEqual({
      appEnv: 'development',
      host: '127.0.0.1',
      port: 8010,
      appId: DEV_ALIPAY_APP_ID,
      sellerId: DEV_ALIPAY_SELLER_ID,
      appPublicKeyPath: resolve('keys/app_public_key.pem'),
      alipayPrivateKeyPath: resolve('keys/alipay_private_key.pem'),
      appCertPath: resolve('keys/app_cert.crt'),
      alipayCertPath: resolve('keys/alipay_public_cert.crt'),
      rootCertPath: resolve('keys/alipay_root_cert.crt'),
      stateDir: resolve('.data/sandbox'),
      notifyTimeScale: 1,
      openApiTimeoutMs: 10_000,
    });
  });

  it('listens on every interface in production (a container), on loopback otherwise', () => {
    expect(loadSandboxConfig({ APP_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadSandboxConfig({ APP_ENV: 'development' }).host).toBe('127.0.0.1');
    expect(loadSandboxConfig({ APP_ENV: 'production', SANDBOX_HOST: '127.0.0.1' }).host).toBe(
      '127.0.0.1',
    );
  });

  it('reads NODE_ENV=production as production, like the API', () => {
    const config = loadSandboxConfig({ NODE_ENV: 'production' });
    expect(config).toMatchObject({ appEnv: 'production', host: '0.0.0.0' });
  });

  it('reads every variable', () => {
    expect(
      loadSandboxConfig({
        SANDBOX_PORT: '18010',
        SANDBOX_HOST: '0.0.0.0',
        SANDBOX_APP_ID: '2021000122600000',
        SANDBOX_SELLER_ID: '2088102100000000',
        SANDBOX_APP_PUBLIC_KEY_PATH: '/etc/keys/app.pem',
        SANDBOX_ALIPAY_PRIVATE_KEY_PATH: '/etc/keys/alipay.pem',
        SANDBOX_APP_CERT_PATH: '/etc/keys/app.crt',
        SANDBOX_ALIPAY_CERT_PATH: '/etc/keys/alipay.crt',
        SANDBOX_ROOT_CERT_PATH: '/etc/keys/root.crt',
        SANDBOX_STATE_DIR: '/tmp/sandbox-state',
        SANDBOX_NOTIFY_TIME_SCALE: '240',
        SANDBOX_OPEN_API_TIMEOUT_MS: '7000',
      }),
    ).toMatchObject({
      port: 18010,
      host: '0.0.0.0',
      appId: '2021000122600000',
      sellerId: '2088102100000000',
      appPublicKeyPath: '/etc/keys/app.pem',
      alipayPrivateKeyPath: '/etc/keys/alipay.pem',
      appCertPath: '/etc/keys/app.crt',
      alipayCertPath: '/etc/keys/alipay.crt',
      rootCertPath: '/etc/keys/root.crt',
      stateDir: '/tmp/sandbox-state',
      notifyTimeScale: 240,
      openApiTimeoutMs: 7000,
    });
  });

  it.each([
    ['SANDBOX_PORT', 'eighty'],
    ['SANDBOX_PORT', '70000'],
    ['SANDBOX_PORT', '0'],
    ['SANDBOX_APP_ID', '123'],
    ['SANDBOX_SELLER_ID', '1234567890123456'],
    ['SANDBOX_NOTIFY_TIME_SCALE', '0'],
    ['SANDBOX_NOTIFY_TIME_SCALE', '-5'],
    ['SANDBOX_NOTIFY_TIME_SCALE', 'fast'],
    ['SANDBOX_OPEN_API_TIMEOUT_MS', '1.5'],
    ['SANDBOX_HOST', 'bad host'],
  ])('names %s when it is %j', (variable, value) => {
    const error = failureOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it.each([
    'SANDBOX_APP_PUBLIC_KEY_PATH',
    'SANDBOX_ALIPAY_PRIVATE_KEY_PATH',
    'SANDBOX_APP_CERT_PATH',
    'SANDBOX_ALIPAY_CERT_PATH',
    'SANDBOX_ROOT_CERT_PATH',
  ])('names %s when it points at a missing file', (missing) => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-config-'));
    const env: Record<string, string> = {};
    for (const name of [
      'SANDBOX_APP_PUBLIC_KEY_PATH',
      'SANDBOX_ALIPAY_PRIVATE_KEY_PATH',
      'SANDBOX_APP_CERT_PATH',
      'SANDBOX_ALIPAY_CERT_PATH',
      'SANDBOX_ROOT_CERT_PATH',
    ]) {
      env[name] = join(dir, name === missing ? 'missing' : name);
      if (name !== missing) writeFileSync(env[name], 'x');
    }
    expect(() => ensureSandboxKeyFiles(loadSandboxConfig(env))).toThrow(missing);
  });
});
