/**
 * Asynchronous notifications: Alipay's resend schedule (scaled down), notify_id kept across
 * resends, and the notification faults. Every notice is checked with alipay-sdk.
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
  until,
  startTestSandbox,
  tempStateDir,
  type KeySet,
  type NotifyReceiver,
} from './support/sandbox-harness.js';

interface NoticeView {
  notify_id: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
}
interface AttemptView {
  notify_id: string;
  attempt: number;
  copy: number;
  ok: boolean;
  response_status: number | null;
  response_body: string | null;
  dropped: boolean;
  corrupted_signature: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notifications', () => {
  let keys: KeySet;
  let stateDirs: string[];
  let sdk: AlipaySdk;

  beforeAll(() => {
    keys = generateKeys();
    stateDirs = [];
  });

  afterAll(() => {
    stateDirs.forEach(removeDir);
    removeDir(keys.dir);
  });

  /** A sandbox and a receiver for one test; both closed by the test. */
  async function setUp(
    timeScale: number,
    answer?: Parameters<typeof startNotifyReceiver>[0],
    answerDelayMs = 0,
  ): Promise<{ sandbox: RunningSandbox; receiver: NotifyReceiver; done: () => Promise<void> }> {
    const stateDir = tempStateDir();
    stateDirs.push(stateDir);
    const sandbox = await startTestSandbox(keys, stateDir, { notifyTimeScale: timeScale });
    const receiver = await startNotifyReceiver(answer, answerDelayMs);
    sdk = merchantSdk(keys, sandbox.gatewayUrl);
    return {
      sandbox,
      receiver,
      done: async () => {
        await sandbox.close();
        await receiver.close();
      },
    };
  }

  async function paidTrade(sandbox: RunningSandbox, receiver: NotifyReceiver): Promise<string> {
    const outTradeNo = newOutTradeNo();
    const url = sdk.pageExec('alipay.trade.page.pay', 'GET', {
      bizContent: {
        outTradeNo,
        totalAmount: '6.66',
        subject: '通知测试',
        productCode: 'FAST_INSTANT_TRADE_PAY',
      },
      notifyUrl: receiver.url,
      returnUrl: 'http://127.0.0.1:8080/wallet',
    });
    expect((await openCashier(url)).status).toBe(200);
    expect((await control(sandbox, 'POST', `/sandbox/trades/${outTradeNo}/pay`)).status).toBe(200);
    return outTradeNo;
  }

  async function bookkeeping(sandbox: RunningSandbox, outTradeNo: string) {
    const { body } = await control<{ notices: NoticeView[]; attempts: AttemptView[] }>(
      sandbox,
      'GET',
      `/sandbox/notifications?out_trade_no=${outTradeNo}`,
    );
    return body;
  }

  it('resends on schedule, keeping notify_id, until the answer is exactly 200 `success`', async () => {
    const answers = [
      { body: 'fail' },
      { status: 201, body: 'success' },
      { body: 'success\n' },
      { body: 'success' },
    ];
    // 1200x: the 4m, 10m, 10m resends come after 0.2 s, 0.5 s and 0.5 s.
    const { sandbox, receiver, done } = await setUp(1200, (_params, n) => answers[n - 1]);
    try {
      const outTradeNo = await paidTrade(sandbox, receiver);
      const notices = await receiver.waitFor(4);
      expect(new Set(notices.map((notice) => notice.params.notify_id)).size).toBe(1);
      for (const notice of notices) {
        expect(sdk.checkNotifySignV2(notice.params)).toBe(true);
        expect(notice.params.trade_status).toBe('TRADE_SUCCESS');
      }
      const gaps = notices.slice(1).map((notice, index) => notice.at - notices[index].at);
      expect(gaps[0]).toBeGreaterThanOrEqual(190);
      expect(gaps[1]).toBeGreaterThanOrEqual(490);
      expect(gaps[2]).toBeGreaterThanOrEqual(490);

      await sleep(700); // delivered: no further slot is scheduled
      expect(receiver.received).toHaveLength(4);
      const { notices: views, attempts } = await bookkeeping(sandbox, outTradeNo);
      expect(views).toEqual([
        expect.objectContaining({ state: 'delivered', attempts: 4, next_attempt_at: null }),
      ]);
      expect(
        attempts.map((attempt) => [attempt.attempt, attempt.ok, attempt.response_status]),
      ).toEqual([
        [1, false, 200],
        [2, false, 201],
        [3, false, 200],
        [4, true, 200],
      ]);
      expect(attempts[0].response_body).toBe('fail');
    } finally {
      await done();
    }
  });

  it('gives up after eight notices', async () => {
    const { sandbox, receiver, done } = await setUp(100_000, () => ({ body: 'fail' }));
    try {
      const outTradeNo = await paidTrade(sandbox, receiver);
      await receiver.waitFor(8);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.state !== 'pending',
        'the notice to be given up',
      );
      const { notices } = await bookkeeping(sandbox, outTradeNo);
      expect(notices[0]).toMatchObject({ state: 'gave_up', attempts: 8 });
      await sleep(300);
      expect(receiver.received).toHaveLength(8);
    } finally {
      await done();
    }
  });

  it('drops the next N attempts, which then count as failed and are resent', async () => {
    const { sandbox, receiver, done } = await setUp(1200);
    try {
      await control(sandbox, 'POST', '/sandbox/faults', { drop_notifications: 1 });
      const outTradeNo = await paidTrade(sandbox, receiver);
      const [notice] = await receiver.waitFor(1);
      expect(sdk.checkNotifySignV2(notice.params)).toBe(true);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.state === 'delivered',
        'the notice to be delivered',
      );
      const { notices, attempts } = await bookkeeping(sandbox, outTradeNo);
      expect(attempts.map((attempt) => [attempt.attempt, attempt.dropped, attempt.ok])).toEqual([
        [1, true, false],
        [2, false, true],
      ]);
      expect(notices[0]).toMatchObject({ state: 'delivered', notify_id: notice.params.notify_id });
      expect((await control(sandbox, 'GET', '/sandbox/faults')).body).toMatchObject({
        drop_notifications: 0,
      });
    } finally {
      await done();
    }
  });

  it('drops every notification for good, leaving reconciliation to alipay.trade.query', async () => {
    const { sandbox, receiver, done } = await setUp(100_000);
    try {
      await control(sandbox, 'POST', '/sandbox/faults', {
        drop_notifications: -1,
        drop_permanently: true,
      });
      const outTradeNo = await paidTrade(sandbox, receiver);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.state !== 'pending',
        'the notice to be abandoned',
      );
      const { notices } = await bookkeeping(sandbox, outTradeNo);
      expect(notices[0]).toMatchObject({ state: 'abandoned', attempts: 1 });
      await sleep(300);
      expect(receiver.received).toHaveLength(0);
      const query = await sdk.exec(
        'alipay.trade.query',
        { bizContent: { outTradeNo } },
        { validateSign: true },
      );
      expect(query).toMatchObject({ code: '10000', tradeStatus: 'TRADE_SUCCESS' });
    } finally {
      await done();
    }
  });

  it('keeps resending dropped notices; after a reset and a flush the notice arrives', async () => {
    const { sandbox, receiver, done } = await setUp(240);
    try {
      await control(sandbox, 'POST', '/sandbox/faults', { drop_notifications: -1 });
      const outTradeNo = await paidTrade(sandbox, receiver);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.attempts === 1,
        'the first attempt to be dropped',
      );
      expect(receiver.received).toHaveLength(0);
      await control(sandbox, 'DELETE', '/sandbox/faults');
      expect((await control(sandbox, 'POST', '/sandbox/notifications/flush')).body).toEqual({
        flushed: 1,
      });
      const [notice] = await receiver.waitFor(1);
      expect(notice.params.out_trade_no).toBe(outTradeNo);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.state === 'delivered',
        'the notice to be delivered',
      );
      const { notices } = await bookkeeping(sandbox, outTradeNo);
      expect(notices[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    } finally {
      await done();
    }
  });

  it('sends duplicates at once when told to', async () => {
    // The receiver takes 500 ms to answer: copies sent at once all arrive before any answer.
    const { sandbox, receiver, done } = await setUp(1200, undefined, 500);
    try {
      await control(sandbox, 'POST', '/sandbox/faults', {
        duplicate_notifications: 2,
        concurrent: true,
      });
      const outTradeNo = await paidTrade(sandbox, receiver);
      const notices = await receiver.waitFor(3);
      expect(new Set(notices.map((notice) => notice.params.notify_id)).size).toBe(1);
      expect(notices.every((notice) => sdk.checkNotifySignV2(notice.params))).toBe(true);
      expect(notices[2].at).toBeLessThan(notices[0].at + 500);
      expect(notices.every((notice) => notice.answeredAt === undefined)).toBe(true);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).attempts.length === 3,
        'the three copies to be answered',
      );
      const { attempts } = await bookkeeping(sandbox, outTradeNo);
      expect(attempts.map((attempt) => attempt.copy).sort()).toEqual([0, 1, 2]);
      expect(attempts.every((attempt) => attempt.attempt === 1 && attempt.ok)).toBe(true);
    } finally {
      await done();
    }
  });

  it('corrupts a signature; the merchant refuses it and the resend is good', async () => {
    const { sandbox, receiver, done } = await setUp(1200, (params) => ({
      body: sdk.checkNotifySignV2(params) ? 'success' : 'fail',
    }));
    try {
      await control(sandbox, 'POST', '/sandbox/faults', { corrupt_signatures: 1 });
      const outTradeNo = await paidTrade(sandbox, receiver);
      const [bad, good] = await receiver.waitFor(2);
      await until(
        async () => (await bookkeeping(sandbox, outTradeNo)).notices[0]?.state === 'delivered',
        'the notice to be delivered',
      );
      expect(sdk.checkNotifySignV2(bad.params)).toBe(false);
      expect(sdk.checkNotifySignV2(good.params)).toBe(true);
      expect(good.params.notify_id).toBe(bad.params.notify_id);
      const { attempts } = await bookkeeping(sandbox, outTradeNo);
      expect(attempts.map((attempt) => attempt.corrupted_signature)).toEqual([true, false]);
    } finally {
      await done();
    }
  });

  it('delays a notice when told to', async () => {
    const { sandbox, receiver, done } = await setUp(1200);
    try {
      await control(sandbox, 'POST', '/sandbox/faults', { delay_ms: 400 });
      const paidAt = Date.now();
      await paidTrade(sandbox, receiver);
      const [notice] = await receiver.waitFor(1);
      expect(notice.at - paidAt).toBeGreaterThanOrEqual(400);
    } finally {
      await done();
    }
  });
});
