import { ConfigError, DEV_JWT_SECRET, loadConfig } from './app-config.js';
import { availableParallelism } from 'node:os';

const productionEnv = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgres://renran:pw@db:5432/renran',
  JWT_SECRET: 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga',
  ALIPAY_APP_ID: '2021004100000000',
  ALIPAY_APP_PRIVATE_KEY_PATH: 'package.json',
  ALIPAY_PUBLIC_KEY_PATH: 'package.json',
  ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
  ALIPAY_NOTIFY_URL: 'https://api.example.cn/payments/alipay/result/',
  ALIPAY_RETURN_URL: 'https://www.example.cn/wallet',
};

function failureOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('has working development defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      appEnv: 'development',
      apiPort: 8000,
      webPort: 8080,
      sandboxPort: 8010,
      jwtExpiresIn: '7d',
      bodyLimit: '100kb',
      rewardMaxFen: 1_000_000,
      rewardTimeoutMinutes: 15,
      jwtSecret: DEV_JWT_SECRET,
    });
    expect(config.alipay.gateway).toBe('http://127.0.0.1:8010/gateway.do');
    expect(config.alipay.notifyUrl).toBe('http://127.0.0.1:8000/payments/alipay/result/');
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig(productionEnv);
    expect(config.appEnv).toBe('production');
    expect(config.alipay.sellerId).toBeUndefined();
    expect(config.trustProxy).toBe(false);
  });

  it.each([
    'DATABASE_URL',
    'JWT_SECRET',
    'ALIPAY_APP_ID',
    'ALIPAY_APP_PRIVATE_KEY_PATH',
    'ALIPAY_PUBLIC_KEY_PATH',
    'ALIPAY_GATEWAY',
    'ALIPAY_NOTIFY_URL',
    'ALIPAY_RETURN_URL',
  ])('production without %s stops, naming it', (name) => {
    const env: Record<string, string> = { ...productionEnv };
    delete env[name];
    const error = failureOf(env);
    expect(error.variable).toBe(name);
    expect(error.message).toContain(name);
  });

  it.each([
    ['JWT_SECRET', 'short'],
    ['JWT_SECRET', DEV_JWT_SECRET],
    ['JWT_SECRET', 'please-change-me-please-change-me-1234'],
    ['JWT_SECRET', 'x'.repeat(40)],
    ['ALIPAY_GATEWAY', 'http://openapi.alipay.com/gateway.do'],
    ['ALIPAY_APP_PRIVATE_KEY_PATH', '/nonexistent/key.pem'],
    ['ALIPAY_APP_ID', 'abc'],
  ])('production refuses %s=%s', (name, value) => {
    expect(failureOf({ ...productionEnv, [name]: value }).variable).toBe(name);
  });

  it.each([
    ['API_PORT', 'eighty'],
    ['API_PORT', '70000'],
    ['APP_ENV', 'staging'],
    ['BODY_LIMIT', 'lots'],
    ['JWT_EXPIRES_IN', 'forever'],
    ['REWARD_MAX', '-5'],
    ['REWARD_MAX', '1.234'],
    ['RATE_LIMIT_LOGIN', '0'],
    ['RATE_LIMIT_REGISTER', '0'],
    ['RATE_LIMIT_LOGIN_ACCOUNT', 'lots'],
    ['PASSWORD_HASH_CONCURRENCY', '0'],
    ['PASSWORD_HASH_CONCURRENCY', '65'],
    ['DATABASE_URL', 'mysql://x'],
    ['API_WORKERS', '0'],
    ['API_WORKERS', 'many'],
  ])('refuses %s=%s in any environment', (name, value) => {
    expect(failureOf({ [name]: value }).variable).toBe(name);
  });

  it('runs one API process unless API_WORKERS asks for more (auto: one per core)', () => {
    expect(loadConfig({}).apiWorkers).toBe(1);
    expect(loadConfig({ API_WORKERS: '3' }).apiWorkers).toBe(3);
    expect(loadConfig({ API_WORKERS: 'auto' }).apiWorkers).toBe(availableParallelism());
  });

  it('limits registrations, failed logins and concurrent password hashes by default', () => {
    expect(loadConfig({}).accountLimits).toEqual({
      registerPerIpPerHour: 20,
      failedLoginsPerAccountPerHour: 100,
      passwordHashConcurrency: 2,
    });
  });

  it('reads REWARD_MAX in fen without float arithmetic', () => {
    expect(loadConfig({ REWARD_MAX: '500.5' }).rewardMaxFen).toBe(50050);
  });
});
