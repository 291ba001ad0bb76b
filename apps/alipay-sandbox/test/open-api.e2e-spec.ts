/**
 * query / close / refund / fastpay.refund.query through alipay-sdk's exec, every answer
 * checked with validateSign: true.
 * @jest-environment <rootDir>/apps/alipay-sandbox/test/support/beijing-time-environment.mjs
 */
import type { AlipaySdk } from 'alipay-sdk';
import type { RunningSandbox } from '../src/start-sandbox.js';
import {
  beijingTime,
  control,
  generateKeys,
  strangerPrivateKey,
  merchantSdk,
  newOutTradeNo,
  openCashier,
  pressPay,
  removeDir,
  startNotifyReceiver,
  startTestSandbox,
  tempStateDir,
  type KeySet,
  type NotifyReceiver,
} from './support/sandbox-harness.js';

describe('Open API through alipay-sdk', () => {
  let keys: KeySet;
  let stateDir: string;
  let sandbox: RunningSandbox;
  let sdk: AlipaySdk;
  let receiver: NotifyReceiver;

  beforeAll(async () => {
    keys = generateKeys();
    stateDir = tempStateDir();
    sandbox = await startTestSandbox(keys, stateDir);
    sdk = merchantSdk(keys, sandbox.gatewayUrl);
    receiver = await startNotifyReceiver();
  });

  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
    removeDir(stateDir);
    removeDir(keys.dir);
  });

  const call = (method: string, bizContent: Record<string, unknown>, client: AlipaySdk = sdk) =>
    client.exec(method, { bizContent }, { validateSign: true });

  async function openTrade(
    totalAmount = '10.00',
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const outTradeNo = newOutTradeNo();
    const url = sdk.pageExec('alipay.trade.page.pay', 'GET', {
      bizContent: {
        outTradeNo,
        totalAmount,
        subject: '赞赏',
        productCode: 'FAST_INSTANT_TRADE_PAY',
        ...extra,
      },
      notifyUrl: receiver.url,
      returnUrl: 'http://127.0.0.1:8080/wallet',
    });
    expect((await openCashier(url)).status).toBe(200);
    return outTradeNo;
  }

  async function paidTrade(totalAmount = '10.00'): Promise<string> {
    const outTradeNo = await openTrade(totalAmount);
    expect((await control(sandbox, 'POST', `/sandbox/trades/${outTradeNo}/pay`)).status).toBe(200);
    return outTradeNo;
  }

  /** The notices the receiver got for one trade, in arrival order. */
  async function noticesOf(
    outTradeNo: string,
    count: number,
    timeoutMs = 5000,
  ): Promise<Record<string, string>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mine = receiver.received
        .map((notice) => notice.params)
        .filter((params) => params.out_trade_no === outTradeNo);
      if (mine.length >= count || Date.now() > deadline) return mine;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('answers ACQ.TRADE_NOT_EXIST before the cashier was opened', async () => {
    for (const method of ['alipay.trade.query', 'alipay.trade.close']) {
      const result = await call(method, { outTradeNo: newOutTradeNo() });
      expect(result).toMatchObject({
        code: '40004',
        msg: 'Business Failed',
        subCode: 'ACQ.TRADE_NOT_EXIST',
        subMsg: '交易不存在',
      });
    }
  });

  it('queries an opened trade as WAIT_BUYER_PAY, then a paid one as TRADE_SUCCESS', async () => {
    const outTradeNo = await openTrade('12.34');
    const waiting = await call('alipay.trade.query', { outTradeNo });
    expect(waiting).toMatchObject({
      code: '10000',
      msg: 'Success',
      outTradeNo,
      tradeStatus: 'WAIT_BUYER_PAY',
      totalAmount: '12.34',
    });
    expect(waiting.tradeNo).toMatch(/^\d{28}$/);
    await control(sandbox, 'POST', `/sandbox/trades/${outTradeNo}/pay`);
    const paid = await call('alipay.trade.query', { outTradeNo });
    expect(paid).toMatchObject({
      code: '10000',
      tradeNo: String(waiting.tradeNo),
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: '12.34',
      buyerPayAmount: '12.34',
    });
    expect(paid.sendPayDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await call('alipay.trade.query', { tradeNo: waiting.tradeNo })).toMatchObject({
      outTradeNo,
    });
  });

  it('closes only while WAIT_BUYER_PAY; a closed trade cannot be paid', async () => {
    const outTradeNo = await openTrade();
    expect(await call('alipay.trade.close', { outTradeNo })).toMatchObject({
      code: '10000',
      outTradeNo,
    });
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      tradeStatus: 'TRADE_CLOSED',
    });
    expect(await call('alipay.trade.close', { outTradeNo })).toMatchObject({
      code: '40004',
      subCode: 'ACQ.TRADE_STATUS_ERROR',
    });
    expect((await control(sandbox, 'POST', `/sandbox/trades/${outTradeNo}/pay`)).status).toBe(409);

    const paid = await paidTrade();
    expect(await call('alipay.trade.close', { outTradeNo: paid })).toMatchObject({
      code: '40004',
      subCode: 'ACQ.TRADE_STATUS_ERROR',
    });
  });

  it('closes an unpaid trade by itself at time_expire; then it cannot be paid', async () => {
    // time_expire has whole seconds: the trade closes at a second boundary 3-4 s from now.
    const expiresAt = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    const timeExpire = beijingTime(expiresAt);
    const outTradeNo = await openTrade('3.00', { timeExpire });
    const { html } = await openCashier(`${sandbox.url}/cashier/${outTradeNo}`);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      tradeStatus: 'WAIT_BUYER_PAY',
    });
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 100));
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      code: '10000',
      tradeStatus: 'TRADE_CLOSED',
    });
    const viaCashier = await pressPay(sandbox.url, html);
    expect(viaCashier.status).toBe(400);
    expect(viaCashier.html).toContain('ACQ.TRADE_HAS_CLOSE');
    const viaControl = await control(sandbox, 'POST', `/sandbox/trades/${outTradeNo}/pay`);
    expect(viaControl.status).toBe(409);
    const trade = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(trade.body).toMatchObject({
      trade_status: 'TRADE_CLOSED',
      close_reason: 'expired',
      gmt_close: timeExpire,
    });
    expect(await call('alipay.trade.close', { outTradeNo })).toMatchObject({
      subCode: 'ACQ.TRADE_STATUS_ERROR',
    });
  });

  it('refunds partly, then the rest; a repeated out_request_no moves no money', async () => {
    const outTradeNo = await paidTrade('10.00');
    const [payment] = await noticesOf(outTradeNo, 1);
    expect(payment.trade_status).toBe('TRADE_SUCCESS');

    const partial = await call('alipay.trade.refund', {
      outTradeNo,
      refundAmount: '3.00',
      outRequestNo: 'RF_PART_1',
    });
    expect(partial).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '3.00' });

    const repeated = await call('alipay.trade.refund', {
      outTradeNo,
      refundAmount: '3.00',
      outRequestNo: 'RF_PART_1',
    });
    expect(repeated).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '3.00' });

    const notices = await noticesOf(outTradeNo, 2);
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatchObject({
      trade_status: 'TRADE_SUCCESS',
      refund_fee: '3.00',
      out_biz_no: 'RF_PART_1',
      total_amount: '10.00',
    });
    expect(notices[1].gmt_refund).toBeTruthy();
    expect(sdk.checkNotifySignV2(notices[1])).toBe(true);
    expect(notices[1].notify_id).not.toBe(notices[0].notify_id);

    expect(
      await call('alipay.trade.refund', { outTradeNo, refundAmount: '7.01', outRequestNo: 'RF_X' }),
    ).toMatchObject({ code: '40004', subCode: 'ACQ.REASON_TRADE_REFUND_FEE_ERR' });

    const rest = await call('alipay.trade.refund', {
      outTradeNo,
      refundAmount: '7.00',
      outRequestNo: 'RF_PART_2',
    });
    expect(rest).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '10.00' });
    const closed = (await noticesOf(outTradeNo, 3))[2];
    expect(closed).toMatchObject({
      trade_status: 'TRADE_CLOSED',
      refund_fee: '10.00',
      out_biz_no: 'RF_PART_2',
    });
    expect(closed.gmt_refund).toBeTruthy();
    expect(sdk.checkNotifySignV2(closed)).toBe(true);
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      tradeStatus: 'TRADE_CLOSED',
    });
    // Retrying the first refund still answers its first result.
    expect(
      await call('alipay.trade.refund', {
        outTradeNo,
        refundAmount: '3.00',
        outRequestNo: 'RF_PART_1',
      }),
    ).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '3.00' });
    const trade = await control(sandbox, 'GET', `/sandbox/trades/${outTradeNo}`);
    expect(trade.body).toMatchObject({ refund_fee: '10.00', close_reason: 'refunded' });
    expect((await noticesOf(outTradeNo, 4, 300)).length).toBe(3);
  });

  it('refunds in full with one call and closes the trade', async () => {
    const outTradeNo = await paidTrade('8.88');
    const full = await call('alipay.trade.refund', {
      outTradeNo,
      refundAmount: '8.88',
      outRequestNo: 'RF_FULL',
    });
    expect(full).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '8.88' });
    const [, notice] = await noticesOf(outTradeNo, 2);
    expect(notice).toMatchObject({ trade_status: 'TRADE_CLOSED', refund_fee: '8.88' });
  });

  it('refuses to refund an unpaid trade or more than was paid', async () => {
    const unpaid = await openTrade();
    expect(
      await call('alipay.trade.refund', { outTradeNo: unpaid, refundAmount: '1.00' }),
    ).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_STATUS_ERROR' });
    const paid = await paidTrade('1.00');
    expect(
      await call('alipay.trade.refund', {
        outTradeNo: paid,
        refundAmount: '1.01',
        outRequestNo: 'R1',
      }),
    ).toMatchObject({ code: '40004', subCode: 'ACQ.REASON_TRADE_REFUND_FEE_ERR' });
    expect(
      await call('alipay.trade.refund', { outTradeNo: newOutTradeNo(), refundAmount: '1.00' }),
    ).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('answers fastpay.refund.query for known and unknown out_request_no', async () => {
    const outTradeNo = await paidTrade('5.00');
    await call('alipay.trade.refund', { outTradeNo, refundAmount: '5.00', outRequestNo: 'RQ1' });
    const known = await call('alipay.trade.fastpay.refund.query', {
      outTradeNo,
      outRequestNo: 'RQ1',
    });
    expect(known).toMatchObject({
      code: '10000',
      msg: 'Success',
      outTradeNo,
      outRequestNo: 'RQ1',
      refundAmount: '5.00',
      refundStatus: 'REFUND_SUCCESS',
      totalAmount: '5.00',
    });
    const unknown = await call('alipay.trade.fastpay.refund.query', {
      outTradeNo,
      outRequestNo: 'NEVER_SENT',
    });
    expect(unknown.code).toBe('10000');
    expect(unknown.refundAmount).toBeUndefined();
    expect(unknown.refundStatus).toBeUndefined();
  });

  it('answers 40002 isv.invalid-signature, signed, to a client with the wrong key', async () => {
    // One key, made without certificates: a long sync keygen here would stall the sandbox.
    const stranger = { alipayPrivateKey: strangerPrivateKey() };
    const wrong = merchantSdk(keys, sandbox.gatewayUrl, {
      privateKey: stranger.alipayPrivateKey,
      keyType: 'PKCS8',
    });
    const outTradeNo = await openTrade();
    const result = await call('alipay.trade.query', { outTradeNo }, wrong);
    expect(result).toMatchObject({
      code: '40002',
      msg: 'Invalid Arguments',
      subCode: 'isv.invalid-signature',
    });
    expect(await call('alipay.trade.close', { outTradeNo }, wrong)).toMatchObject({
      code: '40002',
    });
    expect(await call('alipay.trade.query', { outTradeNo })).toMatchObject({
      tradeStatus: 'WAIT_BUYER_PAY',
    });
  });

  it('signs the exact response text (a forged body fails validateSign)', async () => {
    const outTradeNo = await openTrade();
    const response = await fetch(
      new URL(
        sdk
          .pageExec('alipay.trade.query', 'GET', { bizContent: { outTradeNo } })
          .replace(/^[^?]*/, sandbox.gatewayUrl),
      ),
      { method: 'POST' },
    );
    const text = await response.text();
    expect(text).toMatch(/^\{"alipay_trade_query_response":\{.*\},"sign":"[^"]+"\}$/);
    const sign = (JSON.parse(text) as { sign: string }).sign;
    expect(() =>
      sdk.checkResponseSign(text, 'alipay_trade_query_response', sign, 'trace'),
    ).not.toThrow();
    const forged = text.replace('WAIT_BUYER_PAY', 'TRADE_SUCCESS');
    expect(() =>
      sdk.checkResponseSign(forged, 'alipay_trade_query_response', sign, 'trace'),
    ).toThrow(/验签失败/);
  });
});
