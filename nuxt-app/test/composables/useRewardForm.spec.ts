import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { readBody, setResponseStatus } from 'h3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ref } from 'vue';
import type { PaymentLimits, RewardOrder } from '#shared/types/api';
import { useRewardForm } from '~/composables/useRewardForm';

const LIMITS: PaymentLimits = {
  reward_min: '0.01',
  reward_max: '10000.00',
  withdraw_min: '1.00',
  channels: ['page', 'wap', 'qr'],
  timeout_minutes: 15,
};

const ORDER: RewardOrder = {
  trade_no: '20261130000000000000000001',
  status: 0,
  status_text: '未付款',
  money: '8.88',
  pay_type: 0,
  channel: 'page',
  anonymous: false,
  message: null,
  article: { id: 7, name: '一篇文章' },
  created_time: '2026-11-30T06:00:00.000Z',
  paid_time: null,
  time_expire: '2026-11-30T06:15:00.000Z',
  pay_url: 'http://127.0.0.1:8010/gateway.do?x=1',
  qr_code: null,
  refund: null,
};

/** What the API proxy received: each order request's key and body. */
let received: { key: string | undefined; body: Record<string, unknown> }[] = [];
/** The status the fake API answers the next order request with (201: the order). */
let answers: number[] = [];

registerEndpoint('/api/payments/alipay/', {
  method: 'POST',
  handler: async (event) => {
    // event.headers, not getHeader(): the in-process request keeps the header's own case.
    const key = event.headers.get('idempotency-key') ?? undefined;
    received.push({ key, body: await readBody(event) });
    const status = answers.shift() ?? 201;
    setResponseStatus(event, status);
    return status === 201
      ? ORDER
      : { statusCode: status, message: `下单失败（${status}）`, error: 'x' };
  },
});

beforeEach(() => {
  received = [];
  answers = [];
});

describe('useRewardForm: the amount', () => {
  it.each([
    ['', '请输入赞赏金额'],
    ['5.001', '金额最多保留两位小数'],
    ['-3', '请输入正确的金额，例如 5 或 8.88'],
    ['1e3', '请输入正确的金额，例如 5 或 8.88'],
    ['0', '赞赏金额须在 0.01 到 10000 元之间'],
    ['10000.01', '赞赏金额须在 0.01 到 10000 元之间'],
  ])('refuses %p with "%s"', (typed, message) => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    form.typeCustom(typed);
    expect(form.amount.value).toEqual({ ok: false, message });
  });

  it('takes a custom amount in whole fen and labels the pay button with it', () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    form.typeCustom(' 8.8 ');
    expect(form.amount.value).toEqual({ ok: true, fen: 880 });
    expect(form.amountLabel.value).toBe('8.80');
    form.choose(20);
    expect(form.amount.value).toEqual({ ok: true, fen: 2000 });
    expect(form.amountLabel.value).toBe('20');
    expect(form.custom.value).toBe('');
  });

  it("follows the API's REWARD_MAX rather than a number of its own", () => {
    const limits = ref<PaymentLimits | null>({ ...LIMITS, reward_max: '500.50' });
    const form = useRewardForm(() => 7, limits);
    expect(form.rangeHint.value).toBe('0.01 – 500.50 元');
    form.typeCustom('600');
    expect(form.amount.value).toEqual({ ok: false, message: '赞赏金额须在 0.01 到 500.50 元之间' });
    limits.value = { ...LIMITS, reward_max: '1000.00' };
    expect(form.amount.value).toEqual({ ok: true, fen: 60000 });
  });

  it('checks only the format until the limits have arrived (the API checks the rest)', () => {
    const form = useRewardForm(() => 7, ref(null));
    form.typeCustom('20000');
    expect(form.amount.value).toEqual({ ok: true, fen: 2_000_000 });
    form.typeCustom('0');
    expect(form.amount.value).toEqual({ ok: false, message: '赞赏金额须大于 0' });
  });
});

describe('useRewardForm: the order request', () => {
  it('sends the order the reader chose, with an Idempotency-Key', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    form.typeCustom('8.88');
    form.message.value = '  写得好  ';
    const order = await form.submit('page');
    expect(order).toEqual(ORDER);
    expect(received).toHaveLength(1);
    expect(received[0]?.key).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(received[0]?.body).toEqual({
      article_id: 7,
      pay_type: 0,
      money: '8.88',
      message: '写得好',
      anonymous: false,
      channel: 'page',
    });
  });

  it('sends no channel for a balance payment', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    form.payType.value = form.PAY_TYPE_BALANCE;
    await form.submit('qr');
    expect(received[0]?.body).toMatchObject({ pay_type: 1, money: '2.00' });
    expect(received[0]?.body).not.toHaveProperty('channel');
  });

  it('sends nothing for an invalid amount or a too long message, and says why', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    form.typeCustom('abc');
    expect(await form.submit('page')).toBeNull();
    expect(form.error.value).toBe('请输入正确的金额，例如 5 或 8.88');
    form.choose(5);
    form.message.value = '字'.repeat(201);
    expect(await form.submit('page')).toBeNull();
    expect(form.error.value).toBe('留言不能超过 200 个字');
    expect(received).toHaveLength(0);
  });

  it('keeps the key after a 5xx (a retry cannot pay twice) and draws a new one after a 4xx', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    answers = [502, 201];
    expect(await form.submit('page')).toBeNull();
    expect(form.error.value).toBe('下单失败（502）');
    expect(form.pending.value).toBe(false);
    await form.submit('page');
    expect(received[1]?.key).toBe(received[0]?.key);

    const other = useRewardForm(() => 7, ref(LIMITS));
    answers = [400, 201];
    await other.submit('page');
    await other.submit('page');
    expect(received[3]?.key).not.toBe(received[2]?.key);
  });

  it('sends one request for a double click', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    const [first, second] = await Promise.all([form.submit('page'), form.submit('page')]);
    expect(first).toEqual(ORDER);
    expect(second).toBeNull();
    expect(received).toHaveLength(1);
  });

  it('draws a new key when the dialog is opened again', async () => {
    const form = useRewardForm(() => 7, ref(LIMITS));
    await form.submit('page');
    form.reset();
    await form.submit('page');
    expect(received[1]?.key).not.toBe(received[0]?.key);
  });
});
