import { loadConfig } from '@renran/config';
import request from 'supertest';
import { AlipayClient } from '../../apps/api/src/payments/alipay/alipay.client.js';
import { generateTestKeys } from '../support/alipay-keys.js';
import {
  castForTipping,
  createPaymentsHarness,
  TEST_APP_ID,
  type PaymentsHarness,
} from '../support/payments-harness.js';
import type { TestUser } from '../support/test-app.js';

interface LoggedRequest {
  method: string;
  params: Record<string, string>;
}

/** A tip paid at the sandbox's cashier and settled by its notification, through the API. */
async function paidTip(h: PaymentsHarness, reader: TestUser, articleId: number, money: string) {
  const { body } = await request(h.http)
    .post('/payments/alipay/')
    .set(reader.auth)
    .send({ article_id: articleId, pay_type: 0, money })
    .expect(201);
  const tradeNo = (body as { trade_no: string; pay_url: string }).trade_no;
  await fetch((body as { pay_url: string }).pay_url);
  await h.sandboxApi('POST', `/sandbox/trades/${tradeNo}/pay`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await h.dataSource.query<{ status: number }[]>(
      'SELECT status FROM rewards WHERE trade_no = $1',
      [tradeNo],
    );
    if (row.status === 1) return tradeNo;
    if (Date.now() > deadline) throw new Error(`the notification never settled ${tradeNo}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const transferTo = (
  outBizNo: string,
  payeeLogonId: string,
  payeeName: string,
  amountFen = 1000,
) => ({
  outBizNo,
  amountFen,
  payeeLogonId,
  payeeName,
  orderTitle: '荏苒打赏提现',
});

describe('Alipay in certificate mode (公钥证书), the default', () => {
  let h: PaymentsHarness;
  let client: AlipayClient;
  let reader: TestUser;
  let staff: TestUser;
  let articleId: number;

  beforeAll(async () => {
    h = await createPaymentsHarness();
    client = h.app.get(AlipayClient);
    ({ reader, staff, articleId } = await castForTipping(h, {
      author: '证书作者',
      reader: '证书读者',
      article: '公钥证书模式',
    }));
  });
  afterEach(() => h.sandboxApi('DELETE', '/sandbox/faults'));
  afterAll(async () => {
    await h.ledgerOk(staff);
    await h.close();
  });

  it('pays, is notified, queries and refunds, every call carrying both serial numbers', async () => {
    expect(h.config.alipay.keyMode).toBe('certificate');
    expect(client.supportsTransfers).toBe(true);
    const tradeNo = await paidTip(h, reader, articleId, '6.00');

    const query = await client.queryTrade(tradeNo);
    expect(query).toMatchObject({ kind: 'ok', data: { tradeStatus: 'TRADE_SUCCESS' } });

    const refunded = await request(h.http)
      .post(`/admin/rewards/${tradeNo}/refund`)
      .set(staff.auth)
      .expect(200);
    expect(refunded.body).toMatchObject({ status: 4, refund: { status: 'succeeded' } });

    const { requests } = await h.sandboxApi<{ requests: LoggedRequest[] }>(
      'GET',
      `/sandbox/requests?out_trade_no=${tradeNo}`,
    );
    const serials = client.certificateSerials;
    expect(requests.map((r) => r.method)).toEqual(
      expect.arrayContaining([
        'alipay.trade.page.pay',
        'alipay.trade.query',
        'alipay.trade.refund',
      ]),
    );
    for (const logged of requests) {
      expect(logged.params.app_cert_sn).toBe(serials?.appCertSn);
      expect(logged.params.alipay_root_cert_sn).toBe(serials?.alipayRootCertSn);
    }
  });

  it('is refused by Alipay when the app certificate is not the one Alipay issued to this app', async () => {
    // A consistent key and certificate, but not this app's: app_cert_sn is unknown there.
    const stranger = generateTestKeys();
    const strangerClient = new AlipayClient(
      loadConfig({
        APP_ENV: 'test',
        ALIPAY_APP_ID: TEST_APP_ID,
        ALIPAY_GATEWAY: h.config.alipay.gateway,
        ALIPAY_APP_PRIVATE_KEY_PATH: stranger.appPrivateKeyPath,
        ALIPAY_APP_CERT_PATH: stranger.appCertPath,
        ALIPAY_PUBLIC_CERT_PATH: h.keys.alipayCertPath,
        ALIPAY_ROOT_CERT_PATH: h.keys.rootCertPath,
      }),
    );
    expect(await strangerClient.queryTrade('R_UNKNOWN_1')).toMatchObject({
      kind: 'failed',
      code: '40002',
      subCode: 'isv.app-cert-not-exist',
    });
    expect(
      await strangerClient.transfer(transferTo('W_STRANGER_1', 'author@example.com', '张荏苒')),
    ).toMatchObject({
      kind: 'failed',
      subCode: 'isv.app-cert-not-exist',
    });
  });

  describe('transfers', () => {
    const merchantBalance = async () =>
      (await h.sandboxApi<{ balance: string }>('GET', '/sandbox/merchant')).balance;

    it('pays a payee once, and a repeat with the same out_biz_no answers the first transfer', async () => {
      const before = await merchantBalance();
      const first = await client.transfer(
        transferTo('W_OK_1', 'author@example.com', '张荏苒', 1234),
      );
      expect(first).toMatchObject({ kind: 'ok', data: { status: 'SUCCESS' } });
      const orderId = first.kind === 'ok' ? first.data.orderId : undefined;
      expect(orderId).toMatch(/^\d+$/);
      const repeat = await client.transfer(
        transferTo('W_OK_1', 'author@example.com', '张荏苒', 1234),
      );
      expect(repeat).toMatchObject({ kind: 'ok', data: { status: 'SUCCESS', orderId } });
      expect(Number(before) - Number(await merchantBalance())).toBeCloseTo(12.34, 2);
      expect(await client.queryTransfer('W_OK_1')).toMatchObject({
        kind: 'ok',
        data: { status: 'SUCCESS', orderId },
      });
    });

    it.each([
      ['nobody@example.com', '张荏苒', 'PAYEE_NOT_EXIST'],
      ['author@example.com', '张三', 'PAYEE_USER_INFO_ERROR'],
    ])('a transfer to %s / %s fails definitely with %s', async (logonId, name, subCode) => {
      const outBizNo = `W_${subCode}`;
      expect(await client.transfer(transferTo(outBizNo, logonId, name))).toMatchObject({
        kind: 'failed',
        code: '40004',
        subCode,
      });
      expect(await client.queryTransfer(outBizNo)).toMatchObject({
        kind: 'failed',
        subCode: 'ORDER_NOT_EXIST',
      });
    });

    it('a timeout is unknown, and the query then finds the transfer SUCCESS', async () => {
      await h.sandboxApi('POST', '/sandbox/faults', {
        open_api: {
          mode: 'timeout',
          count: 1,
          apply: true,
          methods: ['alipay.fund.trans.uni.transfer'],
        },
      });
      const answer = await client.transfer(transferTo('W_TIMEOUT_1', '13800138000', '李读者'));
      expect(answer.kind).toBe('unknown');
      expect(await client.queryTransfer('W_TIMEOUT_1')).toMatchObject({
        kind: 'ok',
        data: { status: 'SUCCESS' },
      });
      const { transfers } = await h.sandboxApi<{ transfers: { out_biz_no: string }[] }>(
        'GET',
        '/sandbox/transfers',
      );
      expect(transfers.filter((t) => t.out_biz_no === 'W_TIMEOUT_1')).toHaveLength(1);
    });

    it('20000 and SYSTEM_ERROR are unknown outcomes, never failures', async () => {
      for (const mode of ['20000', 'SYSTEM_ERROR']) {
        await h.sandboxApi('POST', '/sandbox/faults', {
          open_api: { mode, count: 1, methods: ['alipay.fund.trans.uni.transfer'] },
        });
        const answer = await client.transfer(transferTo(`W_${mode}`, '13800138000', '李读者'));
        expect(answer.kind).toBe('unknown');
      }
    });
  });
});

describe('Alipay in public-key mode', () => {
  let h: PaymentsHarness;
  let client: AlipayClient;

  beforeAll(async () => {
    h = await createPaymentsHarness({}, { keyMode: 'publicKey' });
    client = h.app.get(AlipayClient);
  });
  afterAll(() => h.close());

  it('still pays, is notified and queries; it cannot transfer', async () => {
    const { reader, staff, articleId } = await castForTipping(h, {
      author: '公钥作者',
      reader: '公钥读者',
      article: '公钥模式',
    });
    expect(h.config.alipay.keyMode).toBe('publicKey');
    const tradeNo = await paidTip(h, reader, articleId, '3.00');
    expect(await client.queryTrade(tradeNo)).toMatchObject({
      kind: 'ok',
      data: { tradeStatus: 'TRADE_SUCCESS' },
    });
    const { requests } = await h.sandboxApi<{ requests: LoggedRequest[] }>(
      'GET',
      `/sandbox/requests?out_trade_no=${tradeNo}`,
    );
    expect(requests.length).toBeGreaterThan(0);
    for (const logged of requests) expect(logged.params.app_cert_sn).toBeUndefined();

    expect(client.supportsTransfers).toBe(false);
    expect(
      await client.transfer(transferTo('W_PK_1', 'author@example.com', '张荏苒')),
    ).toMatchObject({
      kind: 'failed',
      subCode: 'CERTIFICATE_MODE_REQUIRED',
    });
    expect(
      (await h.sandboxApi<{ transfers: unknown[] }>('GET', '/sandbox/transfers')).transfers,
    ).toEqual([]);
    await h.ledgerOk(staff);
  });
});
