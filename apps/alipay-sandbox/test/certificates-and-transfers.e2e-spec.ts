/**
 * 公钥证书 mode and alipay.fund.trans.uni.transfer / common.query, through alipay-sdk's own
 * certificate support (appCertContent & co.), every answer checked with validateSign: true.
 * @jest-environment <rootDir>/apps/alipay-sandbox/test/support/beijing-time-environment.mjs
 */
import { AlipaySdk } from 'alipay-sdk';
import { readFileSync } from 'node:fs';
import type { RunningSandbox } from '../src/start-sandbox.js';
import {
  APP_ID,
  control,
  generateKeys,
  merchantSdk,
  removeDir,
  startTestSandbox,
  tempStateDir,
  type KeySet,
} from './support/sandbox-harness.js';

/** The merchant's client in certificate mode, as the API builds it. */
function certificateSdk(keys: KeySet, gateway: string, appCertOf: KeySet = keys): AlipaySdk {
  return new AlipaySdk({
    appId: APP_ID,
    privateKey: keys.appPrivateKey,
    keyType: 'PKCS1',
    appCertContent: readFileSync(appCertOf.appCertPath, 'utf8'),
    alipayPublicCertContent: readFileSync(keys.alipayCertPath, 'utf8'),
    alipayRootCertContent: readFileSync(keys.rootCertPath, 'utf8'),
    gateway,
    timeout: 3000,
  });
}

let seq = 0;
const outBizNo = () => `W${Date.now()}_${process.pid}_${(seq += 1)}`;

describe('certificate mode and transfers', () => {
  let keys: KeySet;
  let otherKeys: KeySet;
  let stateDir: string;
  let sandbox: RunningSandbox;
  let sdk: AlipaySdk;

  beforeAll(async () => {
    keys = generateKeys();
    otherKeys = generateKeys();
    stateDir = tempStateDir();
    sandbox = await startTestSandbox(keys, stateDir, { openApiTimeoutMs: 4000 });
    sdk = certificateSdk(keys, sandbox.gatewayUrl);
  });

  afterAll(async () => {
    await sandbox.close();
    removeDir(stateDir);
    removeDir(keys.dir);
    removeDir(otherKeys.dir);
  });

  beforeEach(async () => {
    await control(sandbox, 'POST', '/sandbox/reset');
  });

  const transfer = (client: AlipaySdk, bizContent: Record<string, unknown>) =>
    client.exec('alipay.fund.trans.uni.transfer', { bizContent }, { validateSign: true });
  const query = (no: string) =>
    sdk.exec(
      'alipay.fund.trans.common.query',
      {
        bizContent: {
          out_biz_no: no,
          product_code: 'TRANS_ACCOUNT_NO_PWD',
          biz_scene: 'DIRECT_TRANSFER',
        },
      },
      { validateSign: true },
    );
  const order = (no: string, amount: string, identity: string, name: string) => ({
    out_biz_no: no,
    trans_amount: amount,
    product_code: 'TRANS_ACCOUNT_NO_PWD',
    biz_scene: 'DIRECT_TRANSFER',
    order_title: '荏苒打赏提现',
    payee_info: { identity, identity_type: 'ALIPAY_LOGON_ID', name },
  });
  const balance = async () =>
    (await control<{ balance: string }>(sandbox, 'GET', '/sandbox/merchant')).body.balance;

  it("answers a certificate-mode caller with alipay_cert_sn, the SDK's own serial of its certificate", async () => {
    const raw = await fetch(
      sdk.pageExec('alipay.trade.query', 'GET', { bizContent: { out_trade_no: 'NOPE1' } }),
    );
    const body = (await raw.json()) as Record<string, unknown>;
    expect(body.alipay_cert_sn).toBe(sdk.config.alipayCertSn);
    // ...and the SDK verifies that answer (a business failure, signed).
    const answer = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: 'NOPE2' } },
      { validateSign: true },
    );
    expect(answer).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it("refuses a caller whose app certificate is not the app's (isv.app-cert-not-exist)", async () => {
    const wrong = certificateSdk(keys, sandbox.gatewayUrl, otherKeys);
    expect(wrong.config.appCertSn).not.toBe(sdk.config.appCertSn);
    const answer = await transfer(wrong, order(outBizNo(), '1.00', 'author@example.com', '张荏苒'));
    expect(answer).toMatchObject({ code: '40002', subCode: 'isv.app-cert-not-exist' });
    expect(await balance()).toBe('1000000.00');
  });

  it('refuses a transfer from a public-key caller (isv.missing-app-cert-sn)', async () => {
    const publicKeyCaller = merchantSdk(keys, sandbox.gatewayUrl);
    const answer = await transfer(
      publicKeyCaller,
      order(outBizNo(), '1.00', 'author@example.com', '张荏苒'),
    );
    expect(answer).toMatchObject({ code: '40002', subCode: 'isv.missing-app-cert-sn' });
  });

  it('pays a seeded payee once per out_biz_no, and the query finds it', async () => {
    const no = outBizNo();
    const first = await transfer(sdk, order(no, '12.34', 'author@example.com', '张荏苒'));
    expect(first).toMatchObject({ code: '10000', status: 'SUCCESS', outBizNo: no });
    const orderId = String(first.orderId);
    expect(orderId).toMatch(/^\d{20}$/);
    expect(await balance()).toBe('999987.66');

    const repeat = await transfer(sdk, order(no, '12.34', 'author@example.com', '张荏苒'));
    expect(repeat).toMatchObject({ code: '10000', status: 'SUCCESS', orderId });
    expect(await balance()).toBe('999987.66');

    expect(await query(no)).toMatchObject({
      code: '10000',
      status: 'SUCCESS',
      orderId,
      transAmount: '12.34',
    });
    const listed = await control<{ transfers: { out_biz_no: string }[] }>(
      sandbox,
      'GET',
      '/sandbox/transfers',
    );
    expect(listed.body.transfers.map((t) => t.out_biz_no)).toEqual([no]);
  });

  it.each([
    ['an account nobody has', 'nobody@example.com', '张荏苒', 'PAYEE_NOT_EXIST'],
    ['the wrong real name', 'author@example.com', '王某', 'PAYEE_USER_INFO_ERROR'],
    ['a phone account with the wrong name', '13800138000', '张荏苒', 'PAYEE_USER_INFO_ERROR'],
  ])('refuses %s with %s and moves nothing', async (_what, identity, name, subCode) => {
    const no = outBizNo();
    const answer = await transfer(sdk, order(no, '5.00', identity, name));
    expect(answer).toMatchObject({ code: '40004', subCode });
    expect(await balance()).toBe('1000000.00');
    expect(await query(no)).toMatchObject({ code: '40004', subCode: 'ORDER_NOT_EXIST' });
  });

  it('refuses a transfer the merchant balance cannot cover (PAYER_BALANCE_NOT_ENOUGH)', async () => {
    await control(sandbox, 'POST', '/sandbox/merchant', { balance: '3.00' });
    const answer = await transfer(sdk, order(outBizNo(), '3.01', '13800138000', '李读者'));
    expect(answer).toMatchObject({ code: '40004', subCode: 'PAYER_BALANCE_NOT_ENOUGH' });
    const exact = await transfer(sdk, order(outBizNo(), '3.00', '13800138000', '李读者'));
    expect(exact).toMatchObject({ code: '10000', status: 'SUCCESS' });
    expect(await balance()).toBe('0.00');
  });

  it('pays a payee added through the control API, and refuses a malformed one', async () => {
    const added = await control(sandbox, 'POST', '/sandbox/payees', {
      logon_id: 'new.author@example.com',
      name: '赵作者',
    });
    expect(added).toEqual({
      status: 200,
      body: { logon_id: 'new.author@example.com', name: '赵作者' },
    });
    const payees = await control<{ payees: unknown[] }>(sandbox, 'GET', '/sandbox/payees');
    expect(payees.body.payees).toHaveLength(3);
    const answer = await transfer(
      sdk,
      order(outBizNo(), '1.00', 'new.author@example.com', '赵作者'),
    );
    expect(answer).toMatchObject({ code: '10000', status: 'SUCCESS' });

    const bad = await control(sandbox, 'POST', '/sandbox/payees', { logon_id: 'x', name: '' });
    expect(bad.status).toBe(400);
  });

  it('a timeout that still pays: the repeat and the query both find the one transfer', async () => {
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: {
        mode: 'timeout',
        count: 1,
        apply: true,
        methods: ['alipay.fund.trans.uni.transfer'],
      },
    });
    const no = outBizNo();
    await expect(
      transfer(sdk, order(no, '8.00', 'author@example.com', '张荏苒')),
    ).rejects.toThrow();
    expect(await query(no)).toMatchObject({ code: '10000', status: 'SUCCESS' });
    const repeat = await transfer(sdk, order(no, '8.00', 'author@example.com', '张荏苒'));
    expect(repeat).toMatchObject({ code: '10000', status: 'SUCCESS' });
    expect(await balance()).toBe('999992.00');
  });

  it('answers SYSTEM_ERROR and 20000 faults on the fund methods', async () => {
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: 'SYSTEM_ERROR', count: 1, methods: ['alipay.fund.trans.uni.transfer'] },
    });
    const no = outBizNo();
    expect(await transfer(sdk, order(no, '2.00', 'author@example.com', '张荏苒'))).toMatchObject({
      code: '40004',
      subCode: 'SYSTEM_ERROR',
    });
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: '20000', count: 1, methods: ['alipay.fund.trans.common.query'] },
    });
    expect(await query(no)).toMatchObject({ code: '20000' });
    expect(await query(no)).toMatchObject({ code: '40004', subCode: 'ORDER_NOT_EXIST' });
  });

  it('shows the balance, payees and transfers on its landing page', async () => {
    await transfer(sdk, order('SHOWN_1', '1.50', 'author@example.com', '张荏苒'));
    const page = await (await fetch(sandbox.url)).text();
    expect(page).toContain('999998.50');
    expect(page).toContain('13800138000');
    expect(page).toContain('SHOWN_1');
  });
});
