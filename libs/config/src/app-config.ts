import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

/**
 * Typed configuration read once from the environment. Every variable is validated here;
 * a bad or missing value throws a ConfigError naming it, which the entry points print as one
 * line before exiting.
 */
export interface AppConfig {
  appEnv: 'development' | 'production' | 'test';
  databaseUrl: string | undefined;
  jwtSecret: string;
  jwtExpiresIn: string;
  apiPort: number;
  webPort: number;
  sandboxPort: number;
  corsOrigins: string[];
  trustProxy: string | false;
  bodyLimit: string;
  rateLimitLogin: number;
  rateLimitOrders: number;
  /** Abuse limits of the accounts area (DESIGN.md "The site's defences"). */
  accountLimits: AccountLimits;
  rewardMaxFen: number;
  rewardTimeoutMinutes: number;
  reconcileIntervalSeconds: number;
  logLevel: string;
  /** API processes sharing API_PORT (node:cluster); 1 runs the API in this process alone. */
  apiWorkers: number;
  alipay: AlipayConfig;
}

export interface AccountLimits {
  /** RATE_LIMIT_REGISTER: registrations per IP per hour. */
  registerPerIpPerHour: number;
  /** RATE_LIMIT_LOGIN_ACCOUNT: failed logins per account per hour, from all IPs together. */
  failedLoginsPerAccountPerHour: number;
  /** PASSWORD_HASH_CONCURRENCY: argon2 hashes / verifications running at once. */
  passwordHashConcurrency: number;
}

export interface AlipayConfig {
  appId: string;
  appPrivateKeyPath: string;
  alipayPublicKeyPath: string;
  gateway: string;
  notifyUrl: string;
  returnUrl: string;
  sellerId: string | undefined;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Secrets that only ever belong in development; production refuses them. */
export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production';
const PLACEHOLDER_PATTERN = /change[-_ ]?me|dev-only|placeholder|your[-_ ]?secret|^(.)\1+$/i;

/** Local development defaults: the sandbox gateway and dev keys that `npm start` generates. */
export const DEV_KEYS_DIR = 'keys';
export const DEV_ALIPAY_APP_ID = '2021000000000001';
export const DEV_ALIPAY_SELLER_ID = '2088000000000001';

const DURATION_PATTERN = /^\d+(ms|s|m|h|d)?$/;
const BYTES_PATTERN = /^\d+(b|kb|mb)$/i;

export function loadConfig(env: Env = process.env): AppConfig {
  const appEnv = readChoice(env, 'APP_ENV', ['development', 'production', 'test'], 'development');
  const production = appEnv === 'production';

  const apiPort = readInt(env, 'API_PORT', 8000, 1, 65535);
  const webPort = readInt(env, 'WEB_PORT', 8080, 1, 65535);
  const sandboxPort = readInt(env, 'SANDBOX_PORT', 8010, 1, 65535);

  const databaseUrl = readOptional(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL');
  }
  if (production && databaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL', 'is required when APP_ENV=production');
  }

  const jwtSecret = production
    ? readRequired(env, 'JWT_SECRET')
    : (readOptional(env, 'JWT_SECRET') ?? DEV_JWT_SECRET);
  if (production && (jwtSecret.length < 32 || PLACEHOLDER_PATTERN.test(jwtSecret))) {
    throw new ConfigError(
      'JWT_SECRET',
      'must be at least 32 random characters and not a placeholder when APP_ENV=production',
    );
  }

  const jwtExpiresIn = readOptional(env, 'JWT_EXPIRES_IN') ?? '7d';
  if (!DURATION_PATTERN.test(jwtExpiresIn)) {
    throw new ConfigError('JWT_EXPIRES_IN', 'must be a duration such as 3600, 15m, 12h or 7d');
  }

  const bodyLimit = readOptional(env, 'BODY_LIMIT') ?? '100kb';
  if (!BYTES_PATTERN.test(bodyLimit)) {
    throw new ConfigError('BODY_LIMIT', 'must be a size such as 100kb or 1mb');
  }

  const rewardMax = readOptional(env, 'REWARD_MAX') ?? '10000.00';
  const rewardMaxMatch = /^([1-9]\d{0,8})(?:\.(\d{1,2}))?$/.exec(rewardMax);
  if (!rewardMaxMatch) {
    throw new ConfigError('REWARD_MAX', 'must be a yuan amount such as 10000.00');
  }
  const rewardMaxFen = Number(rewardMaxMatch[1] + (rewardMaxMatch[2] ?? '').padEnd(2, '0'));

  return {
    appEnv,
    databaseUrl,
    jwtSecret,
    jwtExpiresIn,
    apiPort,
    webPort,
    sandboxPort,
    corsOrigins: (readOptional(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: readOptional(env, 'TRUST_PROXY') ?? (production ? false : 'loopback'),
    bodyLimit,
    rateLimitLogin: readInt(env, 'RATE_LIMIT_LOGIN', 10, 1, 1_000_000),
    rateLimitOrders: readInt(env, 'RATE_LIMIT_ORDERS', 30, 1, 1_000_000),
    accountLimits: {
      registerPerIpPerHour: readInt(env, 'RATE_LIMIT_REGISTER', 20, 1, 1_000_000),
      failedLoginsPerAccountPerHour: readInt(env, 'RATE_LIMIT_LOGIN_ACCOUNT', 100, 1, 1_000_000),
      passwordHashConcurrency: readInt(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    },
    rewardMaxFen,
    rewardTimeoutMinutes: readInt(env, 'REWARD_TIMEOUT_MINUTES', 15, 1, 1440),
    reconcileIntervalSeconds: readInt(env, 'RECONCILE_INTERVAL_SECONDS', 60, 1, 3600),
    logLevel: readChoice(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      appEnv === 'test' ? 'warn' : 'info',
    ),
    apiWorkers: readWorkers(env),
    alipay: loadAlipayConfig(env, production, apiPort, webPort, sandboxPort),
  };
}

function loadAlipayConfig(
  env: Env,
  production: boolean,
  apiPort: number,
  webPort: number,
  sandboxPort: number,
): AlipayConfig {
  const pick = (name: string, devDefault: string): string =>
    production ? readRequired(env, name) : (readOptional(env, name) ?? devDefault);

  const config: AlipayConfig = {
    appId: pick('ALIPAY_APP_ID', DEV_ALIPAY_APP_ID),
    appPrivateKeyPath: resolve(
      pick('ALIPAY_APP_PRIVATE_KEY_PATH', `${DEV_KEYS_DIR}/app_private_key.pem`),
    ),
    alipayPublicKeyPath: resolve(
      pick('ALIPAY_PUBLIC_KEY_PATH', `${DEV_KEYS_DIR}/alipay_public_key.pem`),
    ),
    gateway: pick('ALIPAY_GATEWAY', `http://127.0.0.1:${sandboxPort}/gateway.do`),
    notifyUrl: pick('ALIPAY_NOTIFY_URL', `http://127.0.0.1:${apiPort}/payments/alipay/result/`),
    returnUrl: pick('ALIPAY_RETURN_URL', `http://127.0.0.1:${webPort}/wallet`),
    sellerId:
      readOptional(env, 'ALIPAY_SELLER_ID') ?? (production ? undefined : DEV_ALIPAY_SELLER_ID),
  };
  if (!/^\d{16}$/.test(config.appId) && production) {
    throw new ConfigError('ALIPAY_APP_ID', 'must be the 16-digit app id from Alipay open platform');
  }
  for (const [name, url] of [
    ['ALIPAY_GATEWAY', config.gateway],
    ['ALIPAY_NOTIFY_URL', config.notifyUrl],
    ['ALIPAY_RETURN_URL', config.returnUrl],
  ] as const) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      throw new ConfigError(name, 'must be an http(s) URL');
    }
    if (production && !url.startsWith('https://')) {
      throw new ConfigError(name, 'must be an https URL when APP_ENV=production');
    }
  }
  if (production) {
    for (const [name, path] of [
      ['ALIPAY_APP_PRIVATE_KEY_PATH', config.appPrivateKeyPath],
      ['ALIPAY_PUBLIC_KEY_PATH', config.alipayPublicKeyPath],
    ] as const) {
      if (!existsSync(path)) {
        throw new ConfigError(name, `points at a missing file: ${path}`);
      }
    }
  }
  return config;
}

function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readRequired(env: Env, name: string): string {
  const value = readOptional(env, name);
  if (value === undefined) {
    throw new ConfigError(name, 'is required when APP_ENV=production');
  }
  return value;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** API_WORKERS: `auto` (one per core) or 1–64; unset is 1. */
function readWorkers(env: Env): number {
  const raw = readOptional(env, 'API_WORKERS');
  if (raw === undefined) return 1;
  if (raw === 'auto') return availableParallelism();
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) {
    throw new ConfigError(
      'API_WORKERS',
      `must be auto or a whole number from 1 to 64, got "${raw}"`,
    );
  }
  return Number(raw);
}

function readChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}
