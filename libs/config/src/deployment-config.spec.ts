import { ConfigError, loadConfig, readListenHost } from './app-config.js';
import { makeOperatorFiles, OPERATOR_APP_ID } from './testing/operator-files.js';

const operator = makeOperatorFiles();

const production = {
  APP_ENV: 'production',
  DATABASE_URL: 'postgres://renran:pw@postgres:5432/renran',
  JWT_SECRET: 'k7Qw9rT2mZx4Lp8Vn3Bc6Hj1Yd5Fs0Ga',
  ALIPAY_APP_ID: OPERATOR_APP_ID,
  ALIPAY_APP_PRIVATE_KEY_PATH: operator.appPrivateKey,
  ALIPAY_APP_CERT_PATH: operator.appCert,
  ALIPAY_PUBLIC_CERT_PATH: operator.alipayCert,
  ALIPAY_ROOT_CERT_PATH: operator.alipayRootCert,
  ALIPAY_GATEWAY: 'https://openapi.alipay.com/gateway.do',
  ALIPAY_NOTIFY_URL: 'https://api.example.cn/payments/alipay/result/',
  ALIPAY_RETURN_URL: 'https://www.example.cn/wallet',
};

/** What docker-compose.yml's `sandbox` profile sets for the API. */
const composeSandbox = {
  ...production,
  ALIPAY_GATEWAY: 'http://alipay-sandbox:8010/gateway.do',
  ALIPAY_NOTIFY_URL: 'http://api:8000/payments/alipay/result/',
  ALIPAY_RETURN_URL: 'http://127.0.0.1:8080/wallet',
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

describe('listen addresses (API_HOST, WEB_HOST, SANDBOX_HOST)', () => {
  it('are loopback in development', () => {
    expect(loadConfig({})).toMatchObject({
      apiHost: '127.0.0.1',
      webHost: '127.0.0.1',
      sandboxHost: '127.0.0.1',
    });
  });

  it('are every interface in production', () => {
    expect(loadConfig(production)).toMatchObject({
      apiHost: '0.0.0.0',
      webHost: '0.0.0.0',
      sandboxHost: '0.0.0.0',
    });
  });

  it('are what the variables say', () => {
    expect(
      loadConfig({ API_HOST: '::', WEB_HOST: '10.0.0.5', SANDBOX_HOST: 'localhost' }),
    ).toMatchObject({ apiHost: '::', webHost: '10.0.0.5', sandboxHost: 'localhost' });
    expect(loadConfig({ ...production, API_HOST: '127.0.0.1' }).apiHost).toBe('127.0.0.1');
  });

  it.each(['API_HOST', 'WEB_HOST', 'SANDBOX_HOST'] as const)(
    'refuses a %s that is not a host, naming it',
    (name) => {
      const failure = failureOf({ [name]: 'http://0.0.0.0/' });
      expect(failure.variable).toBe(name);
      expect(failure.message).toContain(name);
      expect(() => readListenHost({ [name]: 'a b' }, name, false)).toThrow(name);
    },
  );
});

describe('production over http to the compose sandbox', () => {
  it('is allowed when the gateway host is exactly alipay-sandbox, with one warning line', () => {
    const config = loadConfig(composeSandbox);
    expect(config.alipay.gateway).toBe('http://alipay-sandbox:8010/gateway.do');
    expect(config.alipay.notifyUrl).toBe('http://api:8000/payments/alipay/result/');
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toMatch(/alipay-sandbox.*http/);
    expect(config.warnings[0]).not.toContain('\n');
  });

  it('warns about nothing on https to the real Alipay', () => {
    expect(loadConfig(production).warnings).toEqual([]);
  });

  it.each([
    ['a look-alike host', 'http://alipay-sandbox.example.com/gateway.do'],
    ['a host that only starts with it', 'http://alipay-sandbox-2:8010/gateway.do'],
    ['credentials naming it', 'http://alipay-sandbox@evil.example/gateway.do'],
    ['any other host', 'http://10.0.0.7:8010/gateway.do'],
  ])('is refused for %s', (_case, gateway) => {
    const failure = failureOf({ ...composeSandbox, ALIPAY_GATEWAY: gateway });
    expect(failure.variable).toBe('ALIPAY_GATEWAY');
    expect(failure.message).toContain('https');
  });

  it('is refused for the notify and return URLs when the gateway is not the sandbox', () => {
    for (const name of ['ALIPAY_NOTIFY_URL', 'ALIPAY_RETURN_URL'] as const) {
      const failure = failureOf({ ...production, [name]: composeSandbox[name] });
      expect(failure.variable).toBe(name);
    }
  });

  it('is allowed in development without a warning', () => {
    expect(loadConfig({}).warnings).toEqual([]);
  });
});
