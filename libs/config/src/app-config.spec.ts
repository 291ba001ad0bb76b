import { copyFileSync, mkdirSync, mkdtempSync, renameSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ConfigError,
  DEV_ALIPAY_APP_ID,
  DEV_ALIPAY_SELLER_ID,
  DEV_JWT_SECRET,
  DEV_KEYS_DIR,
  loadConfig,
} from './app-config.js';
import { ensureDevKeys } from './dev-keys.js';
import { makeOperatorFiles, OPERATOR_APP_ID } from './testing/operator-files.js';

const operator = makeOperatorFiles();
const productionEnv = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgres://renran:pw@db:5432/renran',
  JWT_SECRET: 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga',
  ALIPAY_APP_ID: OPERATOR_APP_ID,
  ALIPAY_APP_PRIVATE_KEY_PATH: operator.appPrivateKey,
  ALIPAY_PUBLIC_KEY_PATH: operator.alipayPublicKey,
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
      withdrawMinFen: 100,
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
    ['REWARD_MAX', '0'],
    ['WITHDRAW_MIN', '0'],
    ['WITHDRAW_MIN', '1.005'],
    ['WITHDRAW_MIN', 'ten'],
    ['WITHDRAW_AUTO_MAX', '-1'],
    ['WITHDRAW_AUTO_MAX', 'all'],
    ['RATE_LIMIT_WITHDRAWALS', '0'],
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

  it('withdrawals: 1.00 yuan at least, none skip review, 10 requests per hour by default', () => {
    const defaults = loadConfig({});
    expect([
      defaults.withdrawMinFen,
      defaults.withdrawAutoMaxFen,
      defaults.rateLimitWithdrawals,
    ]).toEqual([100, 0, 10]);
    const set = loadConfig({ WITHDRAW_MIN: '0.10', WITHDRAW_AUTO_MAX: '50.5' });
    expect([set.withdrawMinFen, set.withdrawAutoMaxFen]).toEqual([10, 5050]);
  });
});

describe('the seller check', () => {
  it.each([{}, { APP_ENV: 'development' }, { APP_ENV: 'test' }])(
    "defaults to the sandbox's seller while the app id is the sandbox's (%o)",
    (env) => {
      const config = loadConfig(env);
      expect(config.alipay.appId).toBe(DEV_ALIPAY_APP_ID);
      expect(config.alipay.sellerId).toBe(DEV_ALIPAY_SELLER_ID);
    },
  );

  it('applies to any other app id only when ALIPAY_SELLER_ID is set', () => {
    const custom = { APP_ENV: 'development', ALIPAY_APP_ID: '2021000000000777' };
    expect(loadConfig(custom).alipay.sellerId).toBeUndefined();
    expect(loadConfig({ ...custom, ALIPAY_SELLER_ID: '2088000000000777' }).alipay.sellerId).toBe(
      '2088000000000777',
    );
  });
});

describe('fail closed', () => {
  const external = 'postgres://renran:pw@db.internal:5432/renran';
  const realSecret = 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga';

  it('counts NODE_ENV=production as APP_ENV=production', () => {
    const { APP_ENV: _appEnv, ...withoutAppEnv } = productionEnv;
    expect(loadConfig({ ...withoutAppEnv, NODE_ENV: 'production' }).appEnv).toBe('production');
    // ... with everything production demands: no embedded database, no development JWT secret.
    expect(failureOf({ NODE_ENV: 'production' }).variable).toBe('DATABASE_URL');
    expect(
      failureOf({ ...withoutAppEnv, NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET }).variable,
    ).toBe('JWT_SECRET');
  });

  it.each([
    ['production', 'development'],
    ['production', 'test'],
    ['development', 'production'],
  ])('stops on NODE_ENV=%s with APP_ENV=%s, naming both', (nodeEnv, appEnv) => {
    const error = failureOf({ ...productionEnv, NODE_ENV: nodeEnv, APP_ENV: appEnv });
    expect(error.message).toContain('APP_ENV');
    expect(error.message).toContain('NODE_ENV');
    expect(error.message).toContain(appEnv);
  });

  it('keeps APP_ENV=test working under Jest (NODE_ENV=test)', () => {
    expect(loadConfig({ NODE_ENV: 'test', APP_ENV: 'test' }).appEnv).toBe('test');
  });

  it('uses development defaults and demo data only with the embedded database', () => {
    expect(loadConfig({})).toMatchObject({
      embeddedDatabase: true,
      seedDemoData: true,
      jwtSecret: DEV_JWT_SECRET,
    });
    // The test suites run on the embedded cluster too, but seed nothing.
    expect(loadConfig({ APP_ENV: 'test' }).seedDemoData).toBe(false);
  });

  it.each<Record<string, string>>([{}, { APP_ENV: 'development' }, { APP_ENV: 'test' }])(
    'with an external DATABASE_URL (%o) needs a real JWT_SECRET and an app id, and seeds nothing',
    (env) => {
      const base = { ...env, DATABASE_URL: external };
      expect(failureOf(base).variable).toBe('JWT_SECRET');
      expect(failureOf({ ...base, JWT_SECRET: DEV_JWT_SECRET }).variable).toBe('JWT_SECRET');
      expect(failureOf({ ...base, JWT_SECRET: realSecret }).variable).toBe('ALIPAY_APP_ID');

      const config = loadConfig({
        ...base,
        JWT_SECRET: realSecret,
        ALIPAY_APP_ID: '2021004100000000',
      });
      expect(config).toMatchObject({
        databaseUrl: external,
        embeddedDatabase: false,
        seedDemoData: false,
        jwtSecret: realSecret,
      });
      expect(config.alipay.sellerId).toBeUndefined();
      // The sandbox's app id, named outright, does not bring the sandbox's seller along.
      const sandboxApp = { ...base, JWT_SECRET: realSecret, ALIPAY_APP_ID: DEV_ALIPAY_APP_ID };
      expect(loadConfig(sandboxApp).alipay.sellerId).toBeUndefined();
    },
  );

  it('treats the cluster npm start hands over (EMBEDDED_DATABASE_URL) as the embedded one', () => {
    const launched = 'postgres://postgres:postgres@127.0.0.1:54329/postgres';
    expect(loadConfig({ EMBEDDED_DATABASE_URL: launched })).toMatchObject({
      databaseUrl: launched,
      embeddedDatabase: true,
      seedDemoData: true,
    });
    expect(failureOf({ EMBEDDED_DATABASE_URL: launched, DATABASE_URL: external }).variable).toBe(
      'EMBEDDED_DATABASE_URL',
    );
    expect(failureOf({ ...productionEnv, EMBEDDED_DATABASE_URL: launched }).variable).toBe(
      'EMBEDDED_DATABASE_URL',
    );
  });

  describe('production refuses a development Alipay setup', () => {
    const startDir = process.cwd();
    let secrets: string;
    let env: Record<string, string>;

    beforeEach(() => {
      // A checkout of its own (keys/ is relative to the working directory, as for npm start),
      // and the operator's secrets outside it: the app's key and Alipay's public key only.
      process.chdir(mkdtempSync(join(tmpdir(), 'renran-checkout-')));
      const made = ensureDevKeys(mkdtempSync(join(tmpdir(), 'renran-made-'))).paths;
      secrets = mkdtempSync(join(tmpdir(), 'renran-secrets-'));
      copyFileSync(made.appPrivateKey, join(secrets, 'app_private_key.pem'));
      copyFileSync(made.alipayPublicKey, join(secrets, 'alipay_public_key.pem'));
      env = {
        ...productionEnv,
        ALIPAY_APP_PRIVATE_KEY_PATH: join(secrets, 'app_private_key.pem'),
        ALIPAY_PUBLIC_KEY_PATH: join(secrets, 'alipay_public_key.pem'),
      };
    });
    afterEach(() => process.chdir(startDir));

    it("accepts keys kept outside keys/ with no private key beside Alipay's", () => {
      expect(loadConfig(env).alipay.alipayPublicKeyPath).toBe(
        join(secrets, 'alipay_public_key.pem'),
      );
    });

    it("refuses the local sandbox's app id", () => {
      const error = failureOf({ ...env, ALIPAY_APP_ID: DEV_ALIPAY_APP_ID });
      expect(error.variable).toBe('ALIPAY_APP_ID');
      expect(error.message).toContain('sandbox');
    });

    it.each(['ALIPAY_APP_PRIVATE_KEY_PATH', 'ALIPAY_PUBLIC_KEY_PATH'])(
      'refuses %s under the development keys/ folder',
      (name) => {
        const devKeys = ensureDevKeys(DEV_KEYS_DIR).paths;
        const path =
          name === 'ALIPAY_PUBLIC_KEY_PATH' ? devKeys.alipayPublicKey : devKeys.appPrivateKey;
        const error = failureOf({ ...env, [name]: path });
        expect(error.variable).toBe(name);
        expect(error.message).toContain(resolve(DEV_KEYS_DIR));
      },
    );

    it('refuses an Alipay public key with its private key lying beside it', () => {
      const pair = ensureDevKeys(mkdtempSync(join(tmpdir(), 'renran-pair-'))).paths;
      const error = failureOf({ ...env, ALIPAY_PUBLIC_KEY_PATH: pair.alipayPublicKey });
      expect(error.variable).toBe('ALIPAY_PUBLIC_KEY_PATH');
      expect(error.message).toContain(pair.alipayPrivateKey);

      // Moved away from its private half, the same file is accepted.
      const moved = join(secrets, 'alipay', 'public.pem');
      mkdirSync(join(secrets, 'alipay'));
      renameSync(pair.alipayPublicKey, moved);
      expect(loadConfig({ ...env, ALIPAY_PUBLIC_KEY_PATH: moved }).appEnv).toBe('production');
    });

    it('refuses a private key given as the Alipay public key', () => {
      const privateKey = join(secrets, 'app_private_key.pem');
      expect(failureOf({ ...env, ALIPAY_PUBLIC_KEY_PATH: privateKey }).variable).toBe(
        'ALIPAY_PUBLIC_KEY_PATH',
      );
    });
  });
});
