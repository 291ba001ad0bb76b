import { generateKeyPairSync } from 'node:crypto';
import { formatBeijingTime } from '../common/beijing-time.js';
import { loadPrivateKey, loadPublicKey, rsa2Sign } from '../signing/rsa2.js';
import { buildSignContent } from '../signing/sign-content.js';
import { GatewayError } from './gateway-error.js';
import { collectParams, verifyGatewayRequest } from './gateway-request.js';

const app = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const APP_ID = '2021000000000001';
const NOW = Date.UTC(2026, 10, 26, 2, 0, 0);
const identity = { appId: APP_ID, appPublicKey: loadPublicKey(app.publicKey) };

function signed(
  overrides: Record<string, string> = {},
  privatePem: string = app.privateKey,
): Record<string, string> {
  const params: Record<string, string> = {
    app_id: APP_ID,
    method: 'alipay.trade.query',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: formatBeijingTime(NOW),
    version: '1.0',
    alipay_sdk: 'alipay-sdk-nodejs-4.0.0',
    biz_content: '{"out_trade_no":"R1"}',
    ...overrides,
  };
  return {
    ...params,
    sign: rsa2Sign(buildSignContent(params, ['sign']), loadPrivateKey(privatePem)),
  };
}

function subCodeOf(params: Record<string, string>): string | undefined {
  try {
    verifyGatewayRequest(params, identity, NOW);
  } catch (error) {
    if (error instanceof GatewayError) return `${error.code} ${error.subCode}`;
    throw error;
  }
  return undefined;
}

describe('collectParams', () => {
  it('merges the query string and the form body, decoding + as a space', () => {
    expect(
      collectParams('app_id=1&timestamp=2026-11-26+10%3A00%3A00', { biz_content: '{"a":1}' }),
    ).toEqual({ app_id: '1', timestamp: '2026-11-26 10:00:00', biz_content: '{"a":1}' });
  });

  it.each([
    ['the query twice', 'a=1&a=2', {}],
    ['query and body', 'a=1', { a: '1' }],
    ['a repeated form field', '', { a: ['1', '2'] }],
  ])('refuses a key given in %s', (_name, query, body) => {
    expect(() => collectParams(query, body)).toThrow(/a 重复出现/);
  });

  it('refuses a value that is not a string (a JSON body)', () => {
    expect(() => collectParams('', { total_amount: 1 })).toThrow(/total_amount 必须是字符串/);
  });
});

describe('verifyGatewayRequest', () => {
  it('accepts a request signed with the app key, extra signed parameters included', () => {
    expect(subCodeOf(signed())).toBeUndefined();
  });

  it('accepts a timestamp within 15 minutes either way', () => {
    expect(subCodeOf(signed({ timestamp: formatBeijingTime(NOW - 14 * 60_000) }))).toBeUndefined();
    expect(subCodeOf(signed({ timestamp: formatBeijingTime(NOW + 14 * 60_000) }))).toBeUndefined();
  });

  it.each([
    ['no sign', () => ({ ...signed(), sign: '' }), '40001 isv.missing-signature'],
    ['no app_id', () => signed({ app_id: '' }), '40001 isv.missing-app-id'],
    ['another app_id', () => signed({ app_id: '2021000000000002' }), '40002 isv.invalid-app-id'],
    ['sign_type RSA', () => signed({ sign_type: 'RSA' }), '40002 isv.invalid-signature-type'],
    ['charset gbk', () => signed({ charset: 'gbk' }), '40002 isv.invalid-charset'],
    ['the wrong key', () => signed({}, other.privateKey), '40002 isv.invalid-signature'],
    [
      'a parameter changed after signing',
      () => ({ ...signed(), biz_content: '{"out_trade_no":"R2"}' }),
      '40002 isv.invalid-signature',
    ],
    [
      'an unsigned parameter added',
      () => ({ ...signed(), notify_url: 'http://127.0.0.1/evil' }),
      '40002 isv.invalid-signature',
    ],
    [
      'a timestamp 16 minutes old',
      () => signed({ timestamp: formatBeijingTime(NOW - 16 * 60_000) }),
      '40002 isv.invalid-timestamp',
    ],
    [
      'a timestamp in UTC instead of Beijing time',
      () => signed({ timestamp: new Date(NOW).toISOString().slice(0, 19).replace('T', ' ') }),
      '40002 isv.invalid-timestamp',
    ],
    ['an unreadable timestamp', () => signed({ timestamp: 'now' }), '40002 isv.invalid-timestamp'],
  ])('refuses %s', (_name, build, expected) => {
    expect(subCodeOf(build())).toBe(expected);
  });

  it('shows the string it verified, to help whoever signed wrongly', () => {
    const params = signed({}, other.privateKey);
    expect(() => verifyGatewayRequest(params, identity, NOW)).toThrow(
      /验签字符串为：alipay_sdk=alipay-sdk-nodejs-4.0.0&app_id=/,
    );
  });
});

describe('verifyGatewayRequest in 公钥证书 mode', () => {
  const certificates = {
    appCertSn: 'a'.repeat(32),
    alipayRootCertSn: `${'b'.repeat(32)}_${'c'.repeat(32)}`,
    alipayCertSn: 'd'.repeat(32),
    // The app certificate's key is what verifies certificate-mode requests.
    appCertPublicKey: loadPublicKey(other.publicKey),
  };
  const withCerts = { ...identity, certificates };
  const verify = (params: Record<string, string>) => {
    try {
      return verifyGatewayRequest(params, withCerts, NOW);
    } catch (error) {
      if (error instanceof GatewayError) return `${error.code} ${error.subCode}`;
      throw error;
    }
  };
  const serials = {
    app_cert_sn: certificates.appCertSn,
    alipay_root_cert_sn: certificates.alipayRootCertSn,
  };

  it('accepts both serials signed with the key of the app certificate', () => {
    expect(verify(signed(serials, other.privateKey))).toBe('certificate');
  });

  it('still serves a public-key caller, which sends neither serial', () => {
    expect(verify(signed())).toBe('publicKey');
  });

  it.each([
    [{ alipay_root_cert_sn: certificates.alipayRootCertSn }, '40002 isv.missing-app-cert-sn'],
    [{ app_cert_sn: certificates.appCertSn }, '40002 isv.missing-alipay-root-cert-sn'],
    [{ ...serials, app_cert_sn: 'e'.repeat(32) }, '40002 isv.app-cert-not-exist'],
    [{ ...serials, alipay_root_cert_sn: 'b'.repeat(32) }, '40002 isv.invalid-alipay-root-cert-sn'],
  ])('refuses %j with %s', (overrides, expected) => {
    expect(verify(signed(overrides, other.privateKey))).toBe(expected);
  });

  it('refuses an unknown app_cert_sn before it looks at the signature', () => {
    expect(verify(signed({ ...serials, app_cert_sn: 'e'.repeat(32) }))).toBe(
      '40002 isv.app-cert-not-exist',
    );
  });

  it('verifies with the certificate key, not the bare public key', () => {
    expect(verify(signed(serials, app.privateKey))).toBe('40002 isv.invalid-signature');
  });

  it('refuses certificate serials when the sandbox holds no certificates', () => {
    expect(subCodeOf(signed(serials))).toBe('40002 isv.app-cert-not-exist');
  });
});
