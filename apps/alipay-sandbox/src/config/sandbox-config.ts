import {
  ConfigError,
  DEV_ALIPAY_APP_ID,
  DEV_ALIPAY_SELLER_ID,
  DEV_KEYS_DIR,
  devKeyPaths,
  ensureDefaultDevKeys,
  readListenHost,
  resolveAppEnv,
} from '@renran/config';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The sandbox's own configuration, read from SANDBOX_* variables. A bad value throws the
 * shared ConfigError naming the variable, which main.ts prints as one line.
 */
export interface SandboxConfig {
  appEnv: string;
  host: string;
  port: number;
  appId: string;
  sellerId: string;
  appPublicKeyPath: string;
  alipayPrivateKeyPath: string;
  stateDir: string;
  notifyTimeScale: number;
  openApiTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

const DEFAULT_APP_PUBLIC_KEY = devKeyPaths(DEV_KEYS_DIR).appPublicKey;
const DEFAULT_ALIPAY_PRIVATE_KEY = devKeyPaths(DEV_KEYS_DIR).alipayPrivateKey;

export function loadSandboxConfig(env: Env = process.env): SandboxConfig {
  // The API's reading, so NODE_ENV=production alone makes the sandbox production too.
  const appEnv = resolveAppEnv(env);
  const host = readListenHost(env, 'SANDBOX_HOST', appEnv === 'production');
  const appId = read(env, 'SANDBOX_APP_ID') ?? DEV_ALIPAY_APP_ID;
  if (!/^\d{16}$/.test(appId)) {
    throw new ConfigError('SANDBOX_APP_ID', `must be a 16-digit app id, got "${appId}"`);
  }
  const sellerId = read(env, 'SANDBOX_SELLER_ID') ?? DEV_ALIPAY_SELLER_ID;
  if (!/^2088\d{12}$/.test(sellerId)) {
    throw new ConfigError(
      'SANDBOX_SELLER_ID',
      `must be a 16-digit Alipay user id starting with 2088, got "${sellerId}"`,
    );
  }
  return {
    appEnv,
    host,
    port: readInt(env, 'SANDBOX_PORT', 8010, 1, 65535),
    appId,
    sellerId,
    appPublicKeyPath: resolve(read(env, 'SANDBOX_APP_PUBLIC_KEY_PATH') ?? DEFAULT_APP_PUBLIC_KEY),
    alipayPrivateKeyPath: resolve(
      read(env, 'SANDBOX_ALIPAY_PRIVATE_KEY_PATH') ?? DEFAULT_ALIPAY_PRIVATE_KEY,
    ),
    stateDir: resolve(read(env, 'SANDBOX_STATE_DIR') ?? '.data/sandbox'),
    notifyTimeScale: readScale(env, 'SANDBOX_NOTIFY_TIME_SCALE'),
    openApiTimeoutMs: readInt(env, 'SANDBOX_OPEN_API_TIMEOUT_MS', 10_000, 1, 600_000),
  };
}

/**
 * Makes sure both key files exist. Outside production, when a path is the default one and
 * the file is missing, the development key pairs are generated into `keys/` (as `npm start`
 * does); any other missing file is a configuration error naming its variable.
 */
export function ensureSandboxKeyFiles(config: SandboxConfig): void {
  if (config.appEnv !== 'production') {
    ensureDefaultDevKeys([config.appPublicKeyPath, config.alipayPrivateKeyPath]);
  }
  for (const [name, path] of [
    ['SANDBOX_APP_PUBLIC_KEY_PATH', config.appPublicKeyPath],
    ['SANDBOX_ALIPAY_PRIVATE_KEY_PATH', config.alipayPrivateKeyPath],
  ] as const) {
    if (!existsSync(path)) {
      throw new ConfigError(name, `points at a missing file: ${path}`);
    }
  }
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** A positive factor that divides Alipay's resend delays (240 turns 4 minutes into 1 s). */
function readScale(env: Env, name: string): number {
  const raw = read(env, name);
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > 10_000_000) {
    throw new ConfigError(name, `must be a positive number such as 1 or 240, got "${raw}"`);
  }
  return value;
}
