/**
 * Open API faults (20000, 40004, timeouts, lost answers) and state that survives a restart.
 * @jest-environment <rootDir>/apps/alipay-sandbox/test/support/beijing-time-environment.mjs
 */
import type { AlipaySdk } from 'alipay-sdk';
import type { RunningSandbox } from '../src/start-sandbox.js';
import {
  control,
  generateKeys,
  merchantSdk,
  newOutTradeNo,
  openCashier,
  removeDir,
  startNotifyReceiver,
  startTestSandbox,
  tempStateDir,
  type KeySet,
  type NotifyReceiver,
} from './support/sandbox-harness.js';

const UNAVAILABLE = {
  code: '20000',
  msg: 'Service Currently Unavailable',
  subCode: 'isp.unknow-error',
  subMsg: '系统繁忙',
};

describe('faults and restarts', () => {
  let keys: KeySet;
  let stateDir: string;
  let sandbox: RunningSandbox;
  let sdk: AlipaySdk;
  let receiver: NotifyReceiver;

  beforeAll(async () => {
    keys = generateKeys();
    stateDir = tempStateDir();
    sandbox = await startTestSandbox(keys, stateDir, { openApiTimeoutMs: 1500 });
    sdk = merchantSdk(keys, sandbox.gatewayUrl);
    receiver = await startNotifyReceiver();
  });

  afterEach(async () => {
    await control(sandbox, 'DELETE', '/sandbox/faults');
  });

  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
    removeDir(stateDir);
    removeDir(keys.dir);
  });

  const call = (method: string, bizContent: Record<string, unknown>, client: AlipaySdk = sdk) =>
    client.exec(method, { bizContent }, { validateSign: true });

  async function openTrade(client: AlipaySdk = sdk) {
    const outTradeNo = newOutTradeNo();
    const url = client.pageExec('alipay.trade.page.pay', 'GET', {
      bizContent: {
        outTradeNo,
        totalAmount: '20.00',
        subject: '故障测试',
        productCode: 'FAST_INSTANT_TRADE_PAY',
      },
      notifyUrl: receiver.url,
    });
    expect((await openCashier(url)).status).toBe(200);
    return outTradeNo;
  }

  async function paidTrade(target: RunningSandbox = sandbox, client: AlipaySdk = sdk) {
    const outTradeNo = await openTrade(client);
    expect((await control(target, 'POST', `/sandbox/trades/${outTradeNo}/pay`)).status).toBe(200);
    return outTradeNo;
  }

  it('answers 20000 (signed) for the next N calls, then normally again', async () => {
    const outTradeNo = await openTrade();
    const set = await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: '20000', count: 2 },
    });
    expect(set.status).toBe(200);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject(UNAVAILABLE);
    expect(await call('alipay.trade.close', { outTradeNo })).toMatchObject(UNAVAILABLE);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      code: '10000',
      tradeStatus: 'WAIT_BUYER_PAY',
    });
    expect((await control(sandbox, 'GET', '/sandbox/faults')).body).toMatchObject({
      open_api: { mode: 'normal', count: 0 },
    });
  });

  it('faults only the methods named', async () => {
    const outTradeNo = await paidTrade();
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: '20000', methods: ['alipay.trade.refund'] },
    });
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000' });
    expect(
      await call('alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'A' }),
    ).toMatchObject(UNAVAILABLE);
    expect(
      await call('alipay.trade.refund', { outTradeNo, refundAmount: '1.00', outRequestNo: 'A' }),
    ).toMatchObject(UNAVAILABLE);
  });

  it('a refund whose answer is lost still happened: refund.query confirms it, a retry moves nothing', async () => {
    const outTradeNo = await paidTrade();
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: '20000', count: 1, apply: true },
    });
    const lost = await call('alipay.trade.refund', {
      outTradeNo,
      refundAmount: '20.00',
      outRequestNo: 'LOST_1',
    });
    expect(lost).toMatchObject(UNAVAILABLE);
    expect(
      await call('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'LOST_1' }),
    ).toMatchObject({ code: '10000', refundStatus: 'REFUND_SUCCESS', refundAmount: '20.00' });
    expect(
      await call('alipay.trade.refund', {
        outTradeNo,
        refundAmount: '20.00',
        outRequestNo: 'LOST_1',
      }),
    ).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '20.00' });
  });

  it('refuses with 40004 ACQ.TRADE_STATUS_ERROR (signed) under mode 40004, changing nothing', async () => {
    const outTradeNo = await paidTrade();
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: '40004', count: 1, methods: ['alipay.trade.refund'] },
    });
    expect(
      await call('alipay.trade.refund', { outTradeNo, refundAmount: '5.00', outRequestNo: 'NO_1' }),
    ).toMatchObject({
      code: '40004',
      msg: 'Business Failed',
      subCode: 'ACQ.TRADE_STATUS_ERROR',
      subMsg: '交易状态不合法',
    });
    expect(
      await call('alipay.trade.fastpay.refund.query', { outTradeNo, outRequestNo: 'NO_1' }),
    ).not.toHaveProperty('refundStatus');
    expect(
      await call('alipay.trade.refund', { outTradeNo, refundAmount: '5.00', outRequestNo: 'NO_1' }),
    ).toMatchObject({ code: '10000', fundChange: 'Y' });
  });

  it('holds the answer past the client timeout, without blocking other calls', async () => {
    const outTradeNo = await openTrade();
    await control(sandbox, 'POST', '/sandbox/faults', {
      open_api: { mode: 'timeout', count: 1, hold_ms: 5000 },
    });
    const impatient = merchantSdk(keys, sandbox.gatewayUrl, { timeout: 300 });
    const started = Date.now();
    await expect(call('alipay.trade.query', { outTradeNo }, impatient)).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(4500); // the client gave up before the 5 s hold
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({ code: '10000' });
  });

  it('answers 20000 once the hold ends for a patient client (default hold: openApiTimeoutMs)', async () => {
    const outTradeNo = await openTrade();
    await control(sandbox, 'POST', '/sandbox/faults', { open_api: { mode: 'timeout', count: 1 } });
    const started = Date.now();
    expect(await call('alipay.trade.close', { outTradeNo })).toMatchObject(UNAVAILABLE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      tradeStatus: 'WAIT_BUYER_PAY',
    });
  });

  it('refuses a fault body it does not understand', async () => {
    const refused = await control<{ statusCode: number; message: string }>(
      sandbox,
      'POST',
      '/sandbox/faults',
      { drop_notifications: 'all' },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('drop_notifications');
    const broken = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(broken.status).toBe(400);
  });

  it('keeps trades and pending resends across a restart on the same state directory', async () => {
    const dir = tempStateDir();
    const flaky = await startNotifyReceiver((_params, n) => ({
      body: n === 1 ? 'fail' : 'success',
    }));
    try {
      // 240x: the first resend is due 1 s after the first notice; the restart falls in between.
      let first = await startTestSandbox(keys, dir, { notifyTimeScale: 240 });
      const client = merchantSdk(keys, first.gatewayUrl);
      const outTradeNo = newOutTradeNo();
      const url = client.pageExec('alipay.trade.page.pay', 'GET', {
        bizContent: {
          outTradeNo,
          totalAmount: '9.90',
          subject: '重启测试',
          productCode: 'FAST_INSTANT_TRADE_PAY',
        },
        notifyUrl: flaky.url,
      });
      expect((await openCashier(url)).status).toBe(200);
      const paid = await control<{ trade: { trade_no: string }; notify_id: string }>(
        first,
        'POST',
        `/sandbox/trades/${outTradeNo}/pay`,
      );
      const unpaid = newOutTradeNo();
      const unpaidUrl = client.pageExec('alipay.trade.page.pay', 'GET', {
        bizContent: {
          outTradeNo: unpaid,
          totalAmount: '1.00',
          subject: '未付款',
          productCode: 'FAST_INSTANT_TRADE_PAY',
        },
      });
      expect((await openCashier(unpaidUrl)).status).toBe(200);
      await flaky.waitFor(1);
      // Restart only once the failed first notice is on the books, with its resend pending.
      const pendingNotice = async () =>
        (
          await control<{ notices: { state: string; attempts: number }[] }>(
            first,
            'GET',
            `/sandbox/notifications?out_trade_no=${outTradeNo}`,
          )
        ).body.notices[0];
      while ((await pendingNotice()).attempts < 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await pendingNotice()).toMatchObject({ state: 'pending', attempts: 1 });
      await first.close();

      const second = await startTestSandbox(keys, dir, { notifyTimeScale: 240 });
      first = second;
      try {
        const again = merchantSdk(keys, second.gatewayUrl);
        expect(
          await again.exec(
            'alipay.trade.query',
            { bizContent: { outTradeNo } },
            { validateSign: true },
          ),
        ).toMatchObject({
          code: '10000',
          tradeStatus: 'TRADE_SUCCESS',
          tradeNo: paid.body.trade.trade_no,
        });
        expect(
          await again.exec(
            'alipay.trade.query',
            { bizContent: { outTradeNo: unpaid } },
            { validateSign: true },
          ),
        ).toMatchObject({ tradeStatus: 'WAIT_BUYER_PAY' });
        const [, resent] = await flaky.waitFor(2, 5000);
        expect(resent.params.notify_id).toBe(paid.body.notify_id);
        expect(again.checkNotifySignV2(resent.params)).toBe(true);
        const { body } = await control<{ notices: { state: string; attempts: number }[] }>(
          second,
          'GET',
          `/sandbox/notifications?out_trade_no=${outTradeNo}`,
        );
        expect(body.notices[0]).toMatchObject({ state: 'delivered', attempts: 2 });
        // The sequence of trade numbers carries on: no trade_no is handed out twice.
        const next = await openTrade(again);
        const trades = await control<{ trades: { out_trade_no: string; trade_no: string }[] }>(
          second,
          'GET',
          '/sandbox/trades',
        );
        expect(new Set(trades.body.trades.map((trade) => trade.trade_no)).size).toBe(3);
        expect(trades.body.trades.map((trade) => trade.out_trade_no)).toContain(next);
      } finally {
        await second.close();
      }
    } finally {
      await flaky.close();
      removeDir(dir);
    }
  });

  it('closes promptly while an answer is held', async () => {
    const dir = tempStateDir();
    const held = await startTestSandbox(keys, dir, { openApiTimeoutMs: 60_000 });
    try {
      const client = merchantSdk(keys, held.gatewayUrl, { timeout: 30_000 });
      await control(held, 'POST', '/sandbox/faults', { open_api: { mode: 'timeout' } });
      const pending = client
        .exec('alipay.trade.query', { bizContent: { outTradeNo: 'X1' } }, { validateSign: true })
        .catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await held.close();
      expect(Date.now() - started).toBeLessThan(10_000); // not the 60 s hold
      await pending;
    } finally {
      await held.close();
      removeDir(dir);
    }
  });

  it('forgets everything on POST /sandbox/reset', async () => {
    const outTradeNo = await openTrade();
    expect((await control(sandbox, 'POST', '/sandbox/reset')).body).toEqual({ ok: true });
    expect((await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`)).status).toBe(404);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      subCode: 'ACQ.TRADE_NOT_EXIST',
    });
    expect((await control(sandbox, 'GET', '/sandbox/trades')).body).toEqual({ trades: [] });
  });
});
