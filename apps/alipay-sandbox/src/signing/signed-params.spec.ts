import { AlipaySdk } from 'alipay-sdk';
import { generateKeyPairSync } from 'node:crypto';
import { responseKeyOf, signedOpenApiBody } from './open-api-response.js';
import { loadPrivateKey } from './rsa2.js';
import { corruptSignature, signNoticeParams } from './signed-params.js';

// The sandbox never imports the SDK at run time; here it is the independent judge.
const alipay = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const app = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});
const sdk = new AlipaySdk({
  appId: '2021000000000001',
  privateKey: app.privateKey,
  alipayPublicKey: alipay.publicKey,
});
const alipayPrivateKey = loadPrivateKey(alipay.privateKey);

describe('signNoticeParams', () => {
  it.each<{ name: string; extra: Record<string, string> }>([
    { name: 'plain fields', extra: {} },
    {
      name: 'a JSON string field',
      extra: { fund_bill_list: '[{"amount":"1.00","fundChannel":"ALIPAYACCOUNT"}]' },
    },
    { name: 'a literal percent sign and spaces', extra: { subject: '100% 赞赏 a+b' } },
  ])('signs what checkNotifySignV2 accepts: $name', ({ extra }) => {
    const params = signNoticeParams(
      {
        notify_id: 'abc',
        trade_status: 'TRADE_SUCCESS',
        sign_type: 'RSA2',
        total_amount: '1.00',
        ...extra,
      },
      alipayPrivateKey,
    );
    expect(sdk.checkNotifySignV2(params)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...params, total_amount: '100.00' })).toBe(false);
    expect(sdk.checkNotifySignV2({ ...params, sign: corruptSignature(params.sign) })).toBe(false);
  });
});

describe('signedOpenApiBody', () => {
  it.each([
    ['alipay.trade.query', { code: '10000', msg: 'Success', trade_status: 'TRADE_SUCCESS' }],
    ['alipay.trade.refund', { code: '40004', msg: 'Business Failed', sub_msg: '退款金额无效' }],
    ['alipay.trade.close', { code: '10000', msg: 'Success', note: 'braces {} and "quotes"' }],
  ])('signs the exact response text of %s', (method, response) => {
    const key = responseKeyOf(method);
    const body = signedOpenApiBody(key, response, alipayPrivateKey);
    expect(JSON.parse(body)[key]).toEqual(response);
    expect(() => sdk.checkResponseSign(body, key, JSON.parse(body).sign, 't')).not.toThrow();
    const tampered = body.replace('"msg":"', '"msg":"x');
    expect(() => sdk.checkResponseSign(tampered, key, JSON.parse(body).sign, 't')).toThrow();
  });
});
