import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { readBody, setResponseStatus } from 'h3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ref } from 'vue';
import type { PaymentLimits, Withdrawal } from '#shared/types/api';
import { useWithdrawForm } from '~/composables/useWithdrawForm';

const LIMITS: PaymentLimits = {
  reward_min: '0.01',
  reward_max: '10000.00',
  withdraw_min: '10.00',
  channels: ['page', 'wap', 'qr'],
  timeout_minutes: 15,
};

const WITHDRAWAL: Withdrawal = {
  id: 3,
  amount: '40.00',
  status: 0,
  created_time: '2026-11-30T06:00:00.000Z',
  finished_time: null,
  payee: { real_name: '张荏苒', alipay_account: 'a***@example.com' },
  reject_reason: null,
  failure_reason: null,
};

/** What the API proxy received: each withdrawal request's key and body. */
let received: { key: string | undefined; body: Record<string, unknown> }[] = [];
/** The status the fake API answers the next request with (201: the withdrawal). */
let answers: number[] = [];

registerEndpoint('/api/users/me/withdrawals', {
  method: 'POST',
  handler: async (event) => {
    const key = event.headers.get('idempotency-key') ?? undefined;
    received.push({ key, body: await readBody(event) });
    const status = answers.shift() ?? 201;
    setResponseStatus(event, status);
    return status === 201
      ? WITHDRAWAL
      : { statusCode: status, message: `提现失败（${status}）`, error: 'x' };
  },
});

beforeEach(() => {
  received = [];
  answers = [];
});

describe('useWithdrawForm: the amount', () => {
  it.each([
    ['', '请输入提现金额'],
    ['abc', '请输入提现金额，最多两位小数，例如 100 或 88.50'],
    ['40.001', '请输入提现金额，最多两位小数，例如 100 或 88.50'],
    ['0', '提现金额须大于 0'],
    ['9.99', '提现金额不能低于 10.00 元'],
  ])('refuses %p with "%s" and sends nothing', async (typed, message) => {
    const form = useWithdrawForm(ref(LIMITS));
    form.amount.value = typed;
    expect(await form.submit()).toBeNull();
    expect(form.error.value).toBe(message);
    expect(received).toHaveLength(0);
  });

  it("follows the API's WITHDRAW_MIN, and leaves every bound to the API until it is known", () => {
    const limits = ref<PaymentLimits | null>(LIMITS);
    const form = useWithdrawForm(limits);
    form.amount.value = ' 10 ';
    expect(form.check.value).toEqual({ ok: true, fen: 1000 });
    form.amount.value = '5';
    expect(form.check.value).toEqual({ ok: false, message: '提现金额不能低于 10.00 元' });
    limits.value = { ...LIMITS, withdraw_min: '2.50' };
    expect(form.check.value).toEqual({ ok: true, fen: 500 });
    limits.value = null;
    form.amount.value = '0.01';
    expect(form.check.value).toEqual({ ok: true, fen: 1 });
  });

  it('sends an amount above the balance shown: the API, not the page, knows the balance', async () => {
    const form = useWithdrawForm(ref(LIMITS));
    form.amount.value = '1000000';
    answers = [409];
    expect(await form.submit()).toBeNull();
    expect(form.error.value).toBe('提现失败（409）');
    expect(received.map((request) => request.body)).toEqual([{ amount: '1000000.00' }]);
  });
});

describe('useWithdrawForm: the request', () => {
  it('sends the amount in yuan with an Idempotency-Key, shows the answer and clears the field', async () => {
    const form = useWithdrawForm(ref(LIMITS));
    form.amount.value = '40';
    expect(await form.submit()).toEqual(WITHDRAWAL);
    expect(received).toEqual([
      { key: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), body: { amount: '40.00' } },
    ]);
    expect(form.done.value).toEqual(WITHDRAWAL);
    expect(form.amount.value).toBe('');
    expect(form.pending.value).toBe(false);
  });

  it('keeps the key after a 5xx (a retry cannot withdraw twice), a new one after a 4xx or a new amount', async () => {
    const form = useWithdrawForm(ref(LIMITS));
    form.amount.value = '40';
    answers = [502, 409, 201];
    expect(await form.submit()).toBeNull();
    expect(form.error.value).toBe('提现失败（502）');
    expect(await form.submit()).toBeNull();
    expect(form.error.value).toBe('提现失败（409）');
    await form.submit();
    expect(received[1]?.key).toBe(received[0]?.key);
    expect(received[2]?.key).not.toBe(received[1]?.key);

    form.amount.value = '30';
    const before = received.length;
    answers = [502];
    await form.submit();
    form.amount.value = '20';
    await form.submit();
    expect(received[before + 1]?.key).not.toBe(received[before]?.key);
  });

  it('sends one request for a double click', async () => {
    const form = useWithdrawForm(ref(LIMITS));
    form.amount.value = '40';
    const [first, second] = await Promise.all([form.submit(), form.submit()]);
    expect(first).toEqual(WITHDRAWAL);
    expect(second).toBeNull();
    expect(received).toHaveLength(1);
  });
});
