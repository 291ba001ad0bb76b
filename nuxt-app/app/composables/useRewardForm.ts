import type { Ref } from 'vue';
import {
  PAY_TYPE_ALIPAY,
  PAY_TYPE_BALANCE,
  type PaymentLimits,
  type PayChannel,
  type PayType,
  type RewardOrder,
} from '#shared/types/api';

export const MESSAGE_MAX_LENGTH = 200;

/**
 * The reward dialog's state and its one request. `reset()` runs at each opening and draws a
 * new Idempotency-Key: every retry or double click within one opening names the same order,
 * so the API creates it at most once. `limits` (GET /payments/limits) bound the amount; while
 * they are unknown only its format is checked here, and the API checks the rest.
 */
export function useRewardForm(articleId: () => number, limits: Ref<PaymentLimits | null>) {
  const chosen = ref<number | null>(REWARD_AMOUNTS[0]);
  const custom = ref('');
  const message = ref('');
  const anonymous = ref(false);
  const payType = ref<PayType>(PAY_TYPE_ALIPAY);
  const pending = ref(false);
  const error = ref('');
  let idempotencyKey = newIdempotencyKey();

  const range = computed(() => rewardRangeOf(limits.value));
  const amount = computed<AmountCheck>(() =>
    chosen.value !== null
      ? { ok: true, fen: chosen.value * 100 }
      : checkRewardAmount(custom.value, range.value),
  );
  /** The custom amount's hint, e.g. "0.01 – 10000 元". */
  const rangeHint = computed(() =>
    range.value
      ? `${fenToLabel(range.value.minFen)} – ${fenToLabel(range.value.maxFen)} 元`
      : '金额（元）',
  );
  const amountLabel = computed(() => (amount.value.ok ? fenToLabel(amount.value.fen) : ''));

  function reset(): void {
    chosen.value = REWARD_AMOUNTS[0];
    custom.value = '';
    message.value = '';
    anonymous.value = false;
    payType.value = PAY_TYPE_ALIPAY;
    pending.value = false;
    error.value = '';
    idempotencyKey = newIdempotencyKey();
  }

  function choose(yuan: number): void {
    chosen.value = yuan;
    custom.value = '';
    error.value = '';
  }

  function typeCustom(value: string): void {
    custom.value = value;
    chosen.value = null;
    error.value = '';
  }

  /**
   * Sends the order, through `channel` when paying with Alipay; resolves with it, or with
   * null after showing the error.
   */
  async function submit(channel?: PayChannel): Promise<RewardOrder | null> {
    if (pending.value) return null;
    const check = amount.value;
    if (!check.ok) {
      error.value = check.message;
      return null;
    }
    if (message.value.length > MESSAGE_MAX_LENGTH) {
      error.value = `留言不能超过 ${MESSAGE_MAX_LENGTH} 个字`;
      return null;
    }
    pending.value = true;
    error.value = '';
    try {
      return await $fetch<RewardOrder>('/api/payments/alipay/', {
        method: 'POST',
        headers: { 'Idempotency-Key': idempotencyKey },
        body: {
          article_id: articleId(),
          pay_type: payType.value,
          money: fenToYuan(check.fen),
          message: message.value.trim() || undefined,
          anonymous: anonymous.value,
          channel: payType.value === PAY_TYPE_ALIPAY ? channel : undefined,
        },
      });
    } catch (failure) {
      error.value = apiErrorMessage(failure, '支付请求失败，请稍后重试');
      // A 4xx answer created no order: the next attempt (perhaps another amount or pay type)
      // gets its own key. After a 5xx or a network error the outcome is unknown, so the key
      // stays and a retry cannot pay twice.
      const status = apiErrorStatus(failure);
      if (status !== undefined && status >= 400 && status < 500) {
        idempotencyKey = newIdempotencyKey();
      }
      pending.value = false;
      return null;
    }
  }

  return {
    chosen,
    custom,
    message,
    anonymous,
    payType,
    pending,
    error,
    amount,
    amountLabel,
    rangeHint,
    reset,
    choose,
    typeCustom,
    submit,
    PAY_TYPE_ALIPAY,
    PAY_TYPE_BALANCE,
  };
}
