import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidMoneyError, parseYuanToFen } from '@renran/money';
import { SANDBOX_ROOT_CA_NAME } from './dev-certificates.js';

/**
 * Typed configuration read once from the environment. Every variable is validated here;
 * a bad or missing value throws a ConfigError naming it, which the entry points print as one
 * line before exiting.
 */
export type AppEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  appEnv: AppEnv;
  /**
   * DATABASE_URL, or the embedded cluster a launcher of ours started for this process
   * (EMBEDDED_DATABASE_URL); undefined: start the embedded one.
   */
  databaseUrl: string | undefined;
  /** No DATABASE_URL: the database is the embedded one, the only place for development defaults. */
  embeddedDatabase: boolean;
  /** An empty database gets the demo users and articles: development on the embedded database. */
  seedDemoData: boolean;
  jwtSecret: string;
  jwtExpiresIn: string;
  apiPort: number;
  webPort: number;
  sandboxPort: number;
  /** Addresses to listen on (API_HOST, WEB_HOST, SANDBOX_HOST); see readListenHost. */
  apiHost: string;
  webHost: string;
  sandboxHost: string;
  corsOrigins: string[];
  trustProxy: string | false;
  bodyLimit: string;
  /** Body limit of the article routes: a full 50,000-character article is ~150 kB of JSON. */
  articleBodyLimit: string;
  rateLimitLogin: number;
  rateLimitOrders: number;
  /** Abuse limits of the accounts area (DESIGN.md "The site's defences"). */
  accountLimits: AccountLimits;
  rewardMaxFen: number;
  /** WITHDRAW_MIN in fen: the smallest withdrawal (提现) an author may request. */
  withdrawMinFen: number;
  /** WITHDRAW_AUTO_MAX in fen: withdrawals up to this skip staff review (0: none do). */
  withdrawAutoMaxFen: number;
  /** RATE_LIMIT_WITHDRAWALS: withdrawal requests per user per hour. */
  rateLimitWithdrawals: number;
  rewardTimeoutMinutes: number;
  reconcileIntervalSeconds: number;
  logLevel: string;
  /** API processes sharing API_PORT (node:cluster); 1 runs the API in this process alone. */
  apiWorkers: number;
  alipay: AlipayConfig;
  /** Lines the API prints once at start: allowed, but not what a real deployment runs. */
  warnings: string[];
}

export interface AccountLimits {
  /** RATE_LIMIT_REGISTER: registrations per IP per hour. */
  registerPerIpPerHour: number;
  /** RATE_LIMIT_LOGIN_ACCOUNT: failed logins per account per hour, from all IPs together. */
  failedLoginsPerAccountPerHour: number;
  /** PASSWORD_HASH_CONCURRENCY: argon2 hashes / verifications running at once. */
  passwordHashConcurrency: number;
}

/**
 * How Alipay's answers are verified and how the app proves itself: 公钥证书 (certificates,
 * which Alipay requires for transfers) or 公钥 (Alipay's bare public key).
 */
export type AlipayKeyMode = 'certificate' | 'publicKey';

/** The three files Alipay's open platform hands out in certificate mode. */
export interface AlipayCertificatePaths {
  /** appCertPublicKey_<appid>.crt: the app's public key, certified by Alipay (ALIPAY_APP_CERT_PATH). */
  appCertPath: string;
  /** alipayCertPublicKey_RSA2.crt: Alipay's public key certificate (ALIPAY_PUBLIC_CERT_PATH). */
  alipayPublicCertPath: string;
  /** alipayRootCert.crt: Alipay's root certificates (ALIPAY_ROOT_CERT_PATH). */
  alipayRootCertPath: string;
}

export interface AlipayConfig {
  appId: string;
  appPrivateKeyPath: string;
  keyMode: AlipayKeyMode;
  /** publicKey mode: Alipay's public key (ALIPAY_PUBLIC_KEY_PATH). */
  alipayPublicKeyPath?: string;
  /** certificate mode. */
  certificates?: AlipayCertificatePaths;
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

/** The compose file's sandbox service: the one host a production gateway may use http for. */
export const COMPOSE_SANDBOX_HOST = 'alipay-sandbox';

const DURATION_PATTERN = /^\d+(ms|s|m|h|d)?$/;
const BYTES_PATTERN = /^\d+(b|kb|mb)$/i;

/**
 * APP_ENV, with NODE_ENV=production counting as production: a deployment that sets only
 * NODE_ENV must not run as a demo. A pair that disagrees about production stops the process.
 */
export function resolveAppEnv(env: Env = process.env): AppEnv {
  const appEnv = readOptional(env, 'APP_ENV');
  const chosen = readChoice(env, 'APP_ENV', ['development', 'production', 'test'], 'development');
  const nodeEnv = readOptional(env, 'NODE_ENV');
  const conflict =
    (nodeEnv === 'production' && appEnv !== undefined && chosen !== 'production') ||
    (nodeEnv === 'development' && chosen === 'production');
  if (conflict) {
    throw new ConfigError(
      'APP_ENV',
      `"${appEnv}" conflicts with NODE_ENV "${nodeEnv}": set both to production, or unset one`,
    );
  }
  return nodeEnv === 'production' ? 'production' : chosen;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const appEnv = resolveAppEnv(env);
  const production = appEnv === 'production';

  const apiPort = readInt(env, 'API_PORT', 8000, 1, 65535);
  const webPort = readInt(env, 'WEB_PORT', 8080, 1, 65535);
  const sandboxPort = readInt(env, 'SANDBOX_PORT', 8010, 1, 65535);

  const externalUrl = readPostgresUrl(env, 'DATABASE_URL');
  const launchedUrl = readPostgresUrl(env, 'EMBEDDED_DATABASE_URL');
  if (launchedUrl !== undefined && (production || externalUrl !== undefined)) {
    throw new ConfigError(
      'EMBEDDED_DATABASE_URL',
      'is set only by npm start for its embedded database; unset it (use DATABASE_URL)',
    );
  }
  if (production && externalUrl === undefined) {
    throw new ConfigError('DATABASE_URL', 'is required when APP_ENV=production');
  }
  const embeddedDatabase = externalUrl === undefined;
  // Only the embedded database may get development defaults; anything else is treated as real.
  const devDefaults = !production && embeddedDatabase;
  const requiredBecause = production
    ? 'is required when APP_ENV=production'
    : 'is required with an external DATABASE_URL (development defaults apply only to the embedded database)';

  const jwtSecret = devDefaults
    ? (readOptional(env, 'JWT_SECRET') ?? DEV_JWT_SECRET)
    : readRequired(env, 'JWT_SECRET', requiredBecause);
  if (!devDefaults && (jwtSecret.length < 32 || PLACEHOLDER_PATTERN.test(jwtSecret))) {
    throw new ConfigError(
      'JWT_SECRET',
      production
        ? 'must be at least 32 random characters and not a placeholder when APP_ENV=production'
        : 'must be at least 32 random characters and not a placeholder with an external DATABASE_URL',
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
  const articleBodyLimit = readOptional(env, 'ARTICLE_BODY_LIMIT') ?? '256kb';
  if (!BYTES_PATTERN.test(articleBodyLimit)) {
    throw new ConfigError('ARTICLE_BODY_LIMIT', 'must be a size such as 256kb or 1mb');
  }

  const rewardMax = readOptional(env, 'REWARD_MAX') ?? '10000.00';
  const rewardMaxMatch = /^([1-9]\d{0,8})(?:\.(\d{1,2}))?$/.exec(rewardMax);
  if (!rewardMaxMatch) {
    throw new ConfigError('REWARD_MAX', 'must be a yuan amount such as 10000.00');
  }
  const rewardMaxFen = Number(rewardMaxMatch[1] + (rewardMaxMatch[2] ?? '').padEnd(2, '0'));
  const withdrawMinFen = readYuan(env, 'WITHDRAW_MIN', '1.00');
  const withdrawAutoMaxFen = readYuan(env, 'WITHDRAW_AUTO_MAX', '0', { zeroAllowed: true });
  const warnings: string[] = [];

  return {
    appEnv,
    databaseUrl: externalUrl ?? launchedUrl,
    embeddedDatabase,
    seedDemoData: appEnv === 'development' && embeddedDatabase,
    jwtSecret,
    jwtExpiresIn,
    apiPort,
    webPort,
    sandboxPort,
    apiHost: readListenHost(env, 'API_HOST', production),
    webHost: readListenHost(env, 'WEB_HOST', production),
    sandboxHost: readListenHost(env, 'SANDBOX_HOST', production),
    corsOrigins: (readOptional(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: readOptional(env, 'TRUST_PROXY') ?? (production ? false : 'loopback'),
    bodyLimit,
    articleBodyLimit,
    rateLimitLogin: readInt(env, 'RATE_LIMIT_LOGIN', 10, 1, 1_000_000),
    rateLimitOrders: readInt(env, 'RATE_LIMIT_ORDERS', 30, 1, 1_000_000),
    accountLimits: {
      registerPerIpPerHour: readInt(env, 'RATE_LIMIT_REGISTER', 20, 1, 1_000_000),
      failedLoginsPerAccountPerHour: readInt(env, 'RATE_LIMIT_LOGIN_ACCOUNT', 100, 1, 1_000_000),
      passwordHashConcurrency: readInt(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    },
    rewardMaxFen,
    withdrawMinFen,
    withdrawAutoMaxFen,
    rateLimitWithdrawals: readInt(env, 'RATE_LIMIT_WITHDRAWALS', 10, 1, 1_000_000),
    rewardTimeoutMinutes: readInt(env, 'REWARD_TIMEOUT_MINUTES', 15, 1, 1440),
    reconcileIntervalSeconds: readInt(env, 'RECONCILE_INTERVAL_SECONDS', 60, 1, 3600),
    logLevel: readChoice(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      appEnv === 'test' ? 'warn' : 'info',
    ),
    apiWorkers: readWorkers(env),
    alipay: loadAlipayConfig(
      env,
      { production, devDefaults, requiredBecause },
      { apiPort, webPort, sandboxPort },
      warnings,
    ),
    warnings,
  };
}

/**
 * API_HOST / WEB_HOST / SANDBOX_HOST: loopback in development, so a laptop's services are not
 * reachable from its network; every interface in production, where a container's port is
 * published from its own network interface.
 */
export function readListenHost(
  env: Env,
  name: 'API_HOST' | 'WEB_HOST' | 'SANDBOX_HOST',
  production: boolean,
): string {
  const host = readOptional(env, name) ?? (production ? '0.0.0.0' : '127.0.0.1');
  if (!/^[\w.:-]+$/.test(host)) {
    throw new ConfigError(name, `must be a host name or address, got "${host}"`);
  }
  return host;
}

function loadAlipayConfig(
  env: Env,
  mode: { production: boolean; devDefaults: boolean; requiredBecause: string },
  ports: { apiPort: number; webPort: number; sandboxPort: number },
  warnings: string[],
): AlipayConfig {
  const { production, devDefaults } = mode;
  const { apiPort, webPort, sandboxPort } = ports;
  const pick = (name: string, devDefault: string): string =>
    production ? readRequired(env, name) : (readOptional(env, name) ?? devDefault);

  const appId = devDefaults
    ? (readOptional(env, 'ALIPAY_APP_ID') ?? DEV_ALIPAY_APP_ID)
    : readRequired(env, 'ALIPAY_APP_ID', mode.requiredBecause);
  const config: AlipayConfig = {
    appId,
    appPrivateKeyPath: resolve(
      pick('ALIPAY_APP_PRIVATE_KEY_PATH', `${DEV_KEYS_DIR}/app_private_key.pem`),
    ),
    ...readKeyMode(env, production),
    gateway: pick('ALIPAY_GATEWAY', `http://127.0.0.1:${sandboxPort}/gateway.do`),
    notifyUrl: pick('ALIPAY_NOTIFY_URL', `http://127.0.0.1:${apiPort}/payments/alipay/result/`),
    returnUrl: pick('ALIPAY_RETURN_URL', `http://127.0.0.1:${webPort}/wallet`),
    // The sandbox's seller belongs to the sandbox's app only: with any other app (Alipay's own
    // open-platform sandbox, say) it would refuse every genuine notice as seller_id_mismatch.
    sellerId:
      readOptional(env, 'ALIPAY_SELLER_ID') ??
      (devDefaults && appId === DEV_ALIPAY_APP_ID ? DEV_ALIPAY_SELLER_ID : undefined),
  };
  if (!/^\d{16}$/.test(config.appId) && production) {
    throw new ConfigError('ALIPAY_APP_ID', 'must be the 16-digit app id from Alipay open platform');
  }
  const urls = [
    ['ALIPAY_GATEWAY', config.gateway],
    ['ALIPAY_NOTIFY_URL', config.notifyUrl],
    ['ALIPAY_RETURN_URL', config.returnUrl],
  ] as const;
  for (const [name, url] of urls) {
    if (!/^https?:\/\/[^\s]+$/.test(url) || !URL.canParse(url)) {
      throw new ConfigError(name, 'must be an http(s) URL');
    }
  }
  // A compose stack paying into its own sandbox talks plain http inside its network; anything
  // else in production is the real Alipay and real readers, so https only.
  const composeSandbox = new URL(config.gateway).hostname === COMPOSE_SANDBOX_HOST;
  for (const [name, url] of urls) {
    if (production && !composeSandbox && !url.startsWith('https://')) {
      throw new ConfigError(name, 'must be an https URL when APP_ENV=production');
    }
  }
  if (production && composeSandbox && urls.some(([, url]) => url.startsWith('http://'))) {
    warnings.push(
      `Warning: ALIPAY_GATEWAY is the compose service ${COMPOSE_SANDBOX_HOST}, so http is allowed for the Alipay gateway, notify and return URLs; no real money moves`,
    );
  }
  if (production) refuseDevelopmentAlipaySetup(config, composeSandbox, warnings);
  return config;
}

const CERTIFICATE_VARIABLES = {
  appCertPath: 'ALIPAY_APP_CERT_PATH',
  alipayPublicCertPath: 'ALIPAY_PUBLIC_CERT_PATH',
  alipayRootCertPath: 'ALIPAY_ROOT_CERT_PATH',
} as const satisfies Record<keyof AlipayCertificatePaths, string>;

/**
 * Certificate mode when the three certificate variables are set, public-key mode when
 * ALIPAY_PUBLIC_KEY_PATH is; never both, never part of the certificates. Unset outside
 * production: certificate mode with the development certificates in keys/.
 */
function readKeyMode(
  env: Env,
  production: boolean,
): Pick<AlipayConfig, 'keyMode' | 'alipayPublicKeyPath' | 'certificates'> {
  const publicKeyPath = readOptional(env, 'ALIPAY_PUBLIC_KEY_PATH');
  const certs = Object.entries(CERTIFICATE_VARIABLES).map(
    ([field, name]) => [field, name, readOptional(env, name)] as const,
  );
  const setCerts = certs.filter(([, , value]) => value !== undefined);
  if (publicKeyPath !== undefined && setCerts.length > 0) {
    throw new ConfigError(
      'ALIPAY_PUBLIC_KEY_PATH',
      `and ${setCerts.map(([, name]) => name).join(', ')} are both set: choose public-key mode or certificate mode, not both`,
    );
  }
  if (setCerts.length > 0 && setCerts.length < certs.length) {
    const missing = certs.filter(([, , value]) => value === undefined).map(([, name]) => name);
    throw new ConfigError(
      missing.join(', '),
      'must be set too: certificate mode needs the app certificate, the Alipay certificate and the Alipay root certificate',
    );
  }
  if (publicKeyPath !== undefined) {
    return { keyMode: 'publicKey', alipayPublicKeyPath: resolve(publicKeyPath) };
  }
  if (setCerts.length === 0 && production) {
    throw new ConfigError(
      'ALIPAY_APP_CERT_PATH',
      'ALIPAY_PUBLIC_CERT_PATH and ALIPAY_ROOT_CERT_PATH (certificate mode) or ALIPAY_PUBLIC_KEY_PATH (public-key mode) are required when APP_ENV=production',
    );
  }
  const dev = devKeyFileNames();
  const pathOf = (field: keyof AlipayCertificatePaths, devDefault: string): string =>
    resolve(certs.find(([name]) => name === field)?.[2] ?? `${DEV_KEYS_DIR}/${devDefault}`);
  return {
    keyMode: 'certificate',
    certificates: {
      appCertPath: pathOf('appCertPath', dev.appCert),
      alipayPublicCertPath: pathOf('alipayPublicCertPath', dev.alipayCert),
      alipayRootCertPath: pathOf('alipayRootCertPath', dev.alipayRootCert),
    },
  };
}

/** The names of the files `ensureDevKeys` writes into keys/ (dev-keys.ts uses them too). */
export function devKeyFileNames() {
  return {
    appPrivateKey: 'app_private_key.pem',
    appPublicKey: 'app_public_key.pem',
    alipayPrivateKey: 'alipay_private_key.pem',
    alipayPublicKey: 'alipay_public_key.pem',
    rootCaPrivateKey: 'sandbox_root_ca_private_key.pem',
    alipayRootCert: 'alipay_root_cert.crt',
    alipayCert: 'alipay_public_cert.crt',
    appCert: 'app_cert.crt',
  } as const;
}

/** Every key or certificate file the configuration names, with its variable. */
export function alipayKeyFiles(config: AlipayConfig): { variable: string; path: string }[] {
  const files = [{ variable: 'ALIPAY_APP_PRIVATE_KEY_PATH', path: config.appPrivateKeyPath }];
  if (config.alipayPublicKeyPath !== undefined) {
    files.push({ variable: 'ALIPAY_PUBLIC_KEY_PATH', path: config.alipayPublicKeyPath });
  }
  if (config.certificates !== undefined) {
    for (const [field, variable] of Object.entries(CERTIFICATE_VARIABLES)) {
      files.push({ variable, path: config.certificates[field as keyof AlipayCertificatePaths] });
    }
  }
  return files;
}

/** What the Alipay client is built from, read and checked (readAlipayCredentials). */
export interface AlipayCredentials {
  appPrivateKeyPem: string;
  /** publicKey mode. */
  alipayPublicKeyPem?: string;
  /** certificate mode: the PEM texts, for alipay-sdk's appCertContent & co. */
  certificates?: { appCertPem: string; alipayPublicCertPem: string; alipayRootCertPem: string };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads every Alipay key and certificate file and checks what can be checked before the
 * first call: each file exists and parses (private key, public key, X.509 certificates; the
 * root file may hold several), each certificate is in its validity period, and the app
 * certificate is over the app private key's public half (else Alipay answers every call
 * with an invalid-signature error). A problem is a ConfigError naming the variable.
 */
export function readAlipayCredentials(config: AlipayConfig, now = new Date()): AlipayCredentials {
  const read = (variable: string, path: string): string => {
    if (!existsSync(path)) throw new ConfigError(variable, `points at a missing file: ${path}`);
    return readFileSync(path, 'utf8');
  };
  const appPrivateKeyPem = read('ALIPAY_APP_PRIVATE_KEY_PATH', config.appPrivateKeyPath);
  let appPrivateKey: KeyObject;
  try {
    appPrivateKey = createPrivateKey(appPrivateKeyPem);
  } catch {
    throw new ConfigError(
      'ALIPAY_APP_PRIVATE_KEY_PATH',
      `is not a PEM private key (PKCS1 or PKCS8): ${config.appPrivateKeyPath}`,
    );
  }
  if (config.keyMode === 'publicKey' || config.certificates === undefined) {
    const path = config.alipayPublicKeyPath ?? '';
    const alipayPublicKeyPem = read('ALIPAY_PUBLIC_KEY_PATH', path);
    if (alipayPublicKeyPem.includes('CERTIFICATE-----')) {
      throw new ConfigError(
        'ALIPAY_PUBLIC_KEY_PATH',
        `is a certificate (${path}): certificates go in ALIPAY_APP_CERT_PATH, ALIPAY_PUBLIC_CERT_PATH and ALIPAY_ROOT_CERT_PATH`,
      );
    }
    // Alipay's key tool prints the bare base64 body; alipay-sdk adds the PEM lines itself.
    const pem = alipayPublicKeyPem.includes('-----BEGIN')
      ? alipayPublicKeyPem
      : `-----BEGIN PUBLIC KEY-----\n${alipayPublicKeyPem.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----`;
    try {
      createPublicKey(pem);
    } catch {
      throw new ConfigError('ALIPAY_PUBLIC_KEY_PATH', `is not a PEM public key: ${path}`);
    }
    return { appPrivateKeyPem, alipayPublicKeyPem };
  }
  const paths = config.certificates;
  const parse = (
    field: keyof AlipayCertificatePaths,
  ): { pem: string; certs: X509Certificate[] } => {
    const variable = CERTIFICATE_VARIABLES[field];
    const pem = read(variable, paths[field]);
    const blocks = pem.match(PEM_CERTIFICATE) ?? [];
    const certs: X509Certificate[] = [];
    for (const block of blocks) {
      try {
        certs.push(new X509Certificate(block));
      } catch {
        throw new ConfigError(
          variable,
          `holds a PEM block that is not an X.509 certificate: ${paths[field]}`,
        );
      }
    }
    if (certs.length === 0) {
      throw new ConfigError(variable, `is not a PEM X.509 certificate (.crt): ${paths[field]}`);
    }
    if (field !== 'alipayRootCertPath' && certs.length > 1) {
      throw new ConfigError(
        variable,
        `must hold one certificate, found ${certs.length}: ${paths[field]}`,
      );
    }
    for (const cert of certs) {
      if (new Date(cert.validTo) < now || new Date(cert.validFrom) > now) {
        throw new ConfigError(
          variable,
          `holds a certificate valid only from ${cert.validFrom} to ${cert.validTo}: ${paths[field]}`,
        );
      }
    }
    return { pem, certs };
  };
  const app = parse('appCertPath');
  const alipay = parse('alipayPublicCertPath');
  const root = parse('alipayRootCertPath');
  if (!app.certs[0]?.checkPrivateKey(appPrivateKey)) {
    throw new ConfigError(
      'ALIPAY_APP_CERT_PATH',
      `is not the certificate of the key in ALIPAY_APP_PRIVATE_KEY_PATH (${paths.appCertPath} vs ${config.appPrivateKeyPath}): download the app certificate issued for this key`,
    );
  }
  return {
    appPrivateKeyPem,
    certificates: {
      appCertPem: app.pem,
      alipayPublicCertPem: alipay.pem,
      alipayRootCertPem: root.pem,
    },
  };
}

/**
 * Production refuses what only a development setup has: the local sandbox's app id, key and
 * certificate files in keys/ (where development ones are generated), an "Alipay public key"
 * (or Alipay certificate) whose private key lies beside it (Alipay never hands out its
 * private key, so that pair was made locally), and certificates issued by the sandbox's CA.
 */
function refuseDevelopmentAlipaySetup(
  config: AlipayConfig,
  composeSandbox: boolean,
  warnings: string[],
): void {
  if (config.appId === DEV_ALIPAY_APP_ID) {
    throw new ConfigError(
      'ALIPAY_APP_ID',
      "is the local sandbox's app id; production needs the app id from Alipay open platform",
    );
  }
  const devKeysDir = resolve(DEV_KEYS_DIR);
  for (const { variable, path } of alipayKeyFiles(config)) {
    if (!existsSync(path)) {
      throw new ConfigError(variable, `points at a missing file: ${path}`);
    }
    if ([path, realpathSync(path)].some((candidate) => isInside(candidate, devKeysDir))) {
      throw new ConfigError(
        variable,
        `points into ${devKeysDir}, where development keys are generated; keep production keys elsewhere`,
      );
    }
  }
  const credentials = readAlipayCredentials(config);
  const alipaySide: [string, string, string][] = [];
  if (config.alipayPublicKeyPath !== undefined && credentials.alipayPublicKeyPem !== undefined) {
    alipaySide.push([
      'ALIPAY_PUBLIC_KEY_PATH',
      config.alipayPublicKeyPath,
      credentials.alipayPublicKeyPem,
    ]);
  }
  if (config.certificates !== undefined && credentials.certificates !== undefined) {
    const { alipayPublicCertPath, alipayRootCertPath } = config.certificates;
    const { alipayPublicCertPem, alipayRootCertPem } = credentials.certificates;
    alipaySide.push(['ALIPAY_PUBLIC_CERT_PATH', alipayPublicCertPath, alipayPublicCertPem]);
    alipaySide.push(['ALIPAY_ROOT_CERT_PATH', alipayRootCertPath, alipayRootCertPem]);
    for (const [variable, path, pem] of [
      [
        'ALIPAY_APP_CERT_PATH',
        config.certificates.appCertPath,
        credentials.certificates.appCertPem,
      ],
      ['ALIPAY_PUBLIC_CERT_PATH', alipayPublicCertPath, alipayPublicCertPem],
      ['ALIPAY_ROOT_CERT_PATH', alipayRootCertPath, alipayRootCertPem],
    ] as const) {
      for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
        const cert = new X509Certificate(block);
        if (`${cert.issuer}\n${cert.subject}`.includes(`CN=${SANDBOX_ROOT_CA_NAME}`)) {
          // Paying into the compose sandbox, its test CA is the one that should be there.
          if (composeSandbox) {
            if (!warnings.some((line) => line.includes(SANDBOX_ROOT_CA_NAME))) {
              warnings.push(
                `Warning: the Alipay certificates are the local sandbox's (${SANDBOX_ROOT_CA_NAME}), accepted only because ALIPAY_GATEWAY is the compose service ${COMPOSE_SANDBOX_HOST}`,
              );
            }
            continue;
          }
          throw new ConfigError(
            variable,
            `is a certificate of the local sandbox's test CA (${path}); production needs the files from Alipay open platform`,
          );
        }
      }
    }
  }
  for (const [variable, path, pem] of alipaySide) {
    const besideIt = privateKeyBeside(path, pem);
    if (besideIt !== undefined) {
      throw new ConfigError(
        variable,
        `has its private key beside it (${besideIt}): that was made locally, it is not Alipay's`,
      );
    }
  }
}

function isInside(path: string, dir: string): boolean {
  const fromDir = relative(dir, path);
  return fromDir !== '' && !fromDir.startsWith(`..${sep}`) && fromDir !== '..';
}

const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * The file in the folder of a public key or certificate (or the file itself) holding the
 * private key of that public key (of any certificate in it), if any.
 */
function privateKeyBeside(publicKeyPath: string, publicPem: string): string | undefined {
  if (publicPem.includes('PRIVATE KEY-----')) return publicKeyPath;
  const publicDers: Buffer[] = [];
  try {
    const certificates = publicPem.match(PEM_CERTIFICATE);
    const keys = certificates
      ? certificates.map((block) => new X509Certificate(block).publicKey)
      : [createPublicKey(publicPem)];
    for (const key of keys) publicDers.push(key.export({ type: 'spki', format: 'der' }));
  } catch {
    return undefined; // unreadable: readAlipayCredentials has named it already
  }
  const dir = dirname(publicKeyPath);
  for (const entry of readdirSync(dir)) {
    const candidate = join(dir, entry);
    const stat = statSync(candidate, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size > MAX_KEY_FILE_BYTES) continue;
    let pem: string;
    try {
      pem = readFileSync(candidate, 'utf8');
    } catch {
      continue; // unreadable for this user: not a key this process could have been given
    }
    if (!pem.includes('PRIVATE KEY-----')) continue;
    try {
      const derived = createPublicKey(pem).export({ type: 'spki', format: 'der' });
      if (publicDers.some((der) => derived.equals(der))) return candidate;
    } catch {
      // an encrypted or malformed key cannot be the dev pair's half
    }
  }
  return undefined;
}

/** A yuan amount such as 10000.00, in fen, without float arithmetic; 0 only when allowed. */
export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readRequired(
  env: Env,
  name: string,
  because = 'is required when APP_ENV=production',
): string {
  const value = readOptional(env, name);
  if (value === undefined) throw new ConfigError(name, because);
  return value;
}

function readPostgresUrl(env: Env, name: string): string | undefined {
  const url = readOptional(env, name);
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(name, 'must be a postgres:// URL');
  }
  return url;
}

export function readInt(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
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

/** A positive yuan amount (at most two decimals) in fen, read by the one parser money uses. */
function readYuan(
  env: Env,
  name: string,
  fallback: string,
  { zeroAllowed = false }: { zeroAllowed?: boolean } = {},
): number {
  const value = readOptional(env, name) ?? fallback;
  // libs/money reads amounts of money, which are above 0; a limit may be 0 where that means "none".
  if (zeroAllowed && /^0+(\.0{1,2})?$/.test(value)) return 0;
  try {
    return parseYuanToFen(value);
  } catch (error) {
    if (!(error instanceof InvalidMoneyError)) throw error;
    throw new ConfigError(
      name,
      `must be a yuan amount ${zeroAllowed ? '(0 or more)' : 'above 0'} with at most two decimals, such as ${fallback}`,
    );
  }
}
