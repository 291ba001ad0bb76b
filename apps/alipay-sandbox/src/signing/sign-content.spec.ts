import { NOTICE_UNSIGNED_KEYS, REQUEST_UNSIGNED_KEYS, buildSignContent } from './sign-content.js';

interface Case {
  name: string;
  params: Record<string, string>;
  excluded: readonly string[];
  expected: string;
}

describe('buildSignContent', () => {
  it.each<Case>([
    {
      name: 'sorts keys and keeps sign_type for requests',
      params: { method: 'alipay.trade.query', app_id: '2021', sign_type: 'RSA2', sign: 'x' },
      excluded: REQUEST_UNSIGNED_KEYS,
      expected: 'app_id=2021&method=alipay.trade.query&sign_type=RSA2',
    },
    {
      name: 'drops sign and sign_type for notices',
      params: { trade_status: 'TRADE_SUCCESS', sign_type: 'RSA2', sign: 'x', app_id: '2021' },
      excluded: NOTICE_UNSIGNED_KEYS,
      expected: 'app_id=2021&trade_status=TRADE_SUCCESS',
    },
    {
      name: 'drops empty values',
      params: { b: '', a: '1', c: '3' },
      excluded: REQUEST_UNSIGNED_KEYS,
      expected: 'a=1&c=3',
    },
    {
      name: 'keeps values raw (no URL encoding), JSON and spaces included',
      params: {
        biz_content: '{"subject":"a&b=c","total_amount":"1.00"}',
        timestamp: '2026-11-26 08:00:00',
        notify_url: 'http://127.0.0.1:8000/payments/alipay/result/',
      },
      excluded: REQUEST_UNSIGNED_KEYS,
      expected:
        'biz_content={"subject":"a&b=c","total_amount":"1.00"}&notify_url=http://127.0.0.1:8000/payments/alipay/result/&timestamp=2026-11-26 08:00:00',
    },
    {
      name: 'sorts by code unit: upper case and underscores before lower case',
      params: { a_b: '1', aB: '2', ab: '3', Z: '4' },
      excluded: REQUEST_UNSIGNED_KEYS,
      expected: 'Z=4&aB=2&a_b=1&ab=3',
    },
    { name: 'an empty map', params: {}, excluded: REQUEST_UNSIGNED_KEYS, expected: '' },
  ])('$name', ({ params, excluded, expected }) => {
    expect(buildSignContent(params, excluded)).toBe(expected);
  });
});
