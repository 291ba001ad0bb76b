import { registerEndpoint } from '@nuxt/test-utils/runtime';
import { setResponseStatus } from 'h3';
import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import type { RewardOrder } from '#shared/types/api';
import { rewardOrderPath, useOrderPolling } from '~/composables/useOrderPolling';
import { withSetup } from '../support/with-setup';

const PENDING: RewardOrder = {
  trade_no: 'T1',
  status: 0,
  status_text: '未付款',
  money: '5.00',
  pay_type: 0,
  channel: 'qr',
  anonymous: false,
  message: null,
  article: { id: 7, name: '一篇文章' },
  created_time: '2026-11-30T06:00:00.000Z',
  paid_time: null,
  time_expire: '2026-11-30T06:15:00.000Z',
  pay_url: null,
  qr_code: 'https://qr.alipay.com/x',
  refund: null,
};

/** The statuses the order shows to successive polls. */
const answersOf = new Map<string, (RewardOrder['status'] | 404)[]>();

function serve(tradeNo: string, answers: (RewardOrder['status'] | 404)[]): void {
  answersOf.set(tradeNo, answers);
  registerEndpoint(rewardOrderPath(tradeNo), (event) => {
    const answer = answersOf.get(tradeNo)?.shift() ?? 0;
    if (answer === 404) {
      setResponseStatus(event, 404);
      return { statusCode: 404, message: '订单不存在', error: 'Not Found' };
    }
    return { ...PENDING, trade_no: tradeNo, status: answer };
  });
}

const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('useOrderPolling', () => {
  it('asks until the order is paid, then stops and calls back once', async () => {
    serve('T_PAID', [0, 1]);
    const order = ref<RewardOrder | null>(null);
    let finals = 0;
    const { result: polling } = withSetup(() =>
      useOrderPolling(order, async () => {
        finals += 1;
      }),
    );
    polling.start('T_PAID');
    expect(polling.polling.value).toBe(true);
    await until(() => finals > 0);
    expect(order.value?.status).toBe(1);
    expect(polling.polling.value).toBe(false);
    expect(polling.gaveUp.value).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(finals).toBe(1);
  });

  it('gives up at once on a 404 (asking again will not change it)', async () => {
    serve('T_GONE', [404]);
    const order = ref<RewardOrder | null>(null);
    const { result: polling } = withSetup(() =>
      useOrderPolling(order, async () => {
        throw new Error('not final');
      }),
    );
    polling.start('T_GONE');
    await until(() => polling.gaveUp.value);
    expect(polling.polling.value).toBe(false);
    expect(order.value).toBeNull();
  });

  it('stops asking when the page showing the order goes away', async () => {
    serve('T_LEFT', [0, 0, 0]);
    const order = ref<RewardOrder | null>(null);
    const { result: polling, wrapper } = withSetup(() => useOrderPolling(order, async () => {}));
    polling.start('T_LEFT');
    await until(() => order.value !== null);
    wrapper.unmount();
    expect(polling.polling.value).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(answersOf.get('T_LEFT')).toHaveLength(2);
  });

  it('escapes the trade number in the order path', () => {
    expect(rewardOrderPath('a/b c')).toBe('/api/payments/rewards/a%2Fb%20c');
  });
});
