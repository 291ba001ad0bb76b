import {
  ConfigError,
  DEV_ALIPAY_APP_ID,
  DEV_ALIPAY_SELLER_ID,
  DEV_KEYS_DIR,
  devKeyPaths,
  ensureDefaultDevKeys,
  readInt,
  readListenHost,
  readOptional,
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
  /**
   * 公钥证书 mode: the app certificate (its serial is the app_cert_sn callers must send), the
   * sandbox's "Alipay" certificate (alipay_cert_sn on answers) and the root (alipay_root_cert_sn).
   */
  appCertPath: string;
  alipayCertPath: string;
  rootCertPath: string;
  stateDir: string;
  notifyTimeScale: number;
  openApiTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

const DEV_FILES = devKeyPaths(DEV_KEYS_DIR);

export function loadSandboxConfig(env: Env = process.env): SandboxConfig {
  // The API's reading, so NODE_ENV=production alone makes the sandbox production too.
  const appEnv = resolveAppEnv(env);
  const host = readListenHost(env, 'SANDBOX_HOST', appEnv === 'production');
  const appId = readOptional(env, 'SANDBOX_APP_ID') ?? DEV_ALIPAY_APP_ID;
  if (!/^\d{16}$/.test(appId)) {
    throw new ConfigError('SANDBOX_APP_ID', `must be a 16-digit app id, got "${appId}"`);
  }
  const sellerId = readOptional(env, 'SANDBOX_SELLER_ID') ?? DEV_ALIPAY_SELLER_ID;
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
    appPublicKeyPath: resolve(
      readOptional(env, 'SANDBOX_APP_PUBLIC_KEY_PATH') ?? DEV_FILES.appPublicKey,
    ),
    alipayPrivateKeyPath: resolve(
      readOptional(env, 'SANDBOX_ALIPAY_PRIVATE_KEY_PATH') ?? DEV_FILES.alipayPrivateKey,
    ),
    appCertPath: resolve(readOptional(env, 'SANDBOX_APP_CERT_PATH') ?? DEV_FILES.appCert),
    alipayCertPath: resolve(readOptional(env, 'SANDBOX_ALIPAY_CERT_PATH') ?? DEV_FILES.alipayCert),
    rootCertPath: resolve(readOptional(env, 'SANDBOX_ROOT_CERT_PATH') ?? DEV_FILES.alipayRootCert),
    stateDir: resolve(readOptional(env, 'SANDBOX_STATE_DIR') ?? '.data/sandbox'),
    notifyTimeScale: readScale(env, 'SANDBOX_NOTIFY_TIME_SCALE'),
    openApiTimeoutMs: readInt(env, 'SANDBOX_OPEN_API_TIMEOUT_MS', 10_000, 1, 600_000),
  };
}

/**
 * Makes sure the key and certificate files exist. Outside production, when a path is the
 * default one and the file is missing, the development keys and certificates are generated
 * into `keys/` (as `npm start` does); any other missing file is a configuration error naming
 * its variable.
 */
export function ensureSandboxKeyFiles(config: SandboxConfig): void {
  const files = [
    ['SANDBOX_APP_PUBLIC_KEY_PATH', config.appPublicKeyPath],
    ['SANDBOX_ALIPAY_PRIVATE_KEY_PATH', config.alipayPrivateKeyPath],
    ['SANDBOX_APP_CERT_PATH', config.appCertPath],
    ['SANDBOX_ALIPAY_CERT_PATH', config.alipayCertPath],
    ['SANDBOX_ROOT_CERT_PATH', config.rootCertPath],
  ] as const;
  if (config.appEnv !== 'production') {
    ensureDefaultDevKeys(files.map(([, path]) => path));
  }
  for (const [name, path] of files) {
    if (!existsSync(path)) {
      throw new ConfigError(name, `points at a missing file: ${path}`);
    }
  }
}

/** A positive factor that divides Alipay's resend delays (240 turns 4 minutes into 1 s). */
function readScale(env: Env, name: string): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > 10_000_000) {
    throw new ConfigError(name, `must be a positive number such as 1 or 240, got "${raw}"`);
  }
  return value;
}
