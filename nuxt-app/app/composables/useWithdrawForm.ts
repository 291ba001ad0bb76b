import type { Ref } from 'vue';
import { parseYuanToFen } from '@renran/money';
import type { PaymentLimits, Withdrawal } from '#shared/types/api';

/**
 * The 提现 form's state and its one request. The amount's format and WITHDRAW_MIN (from
 * GET /payments/limits) are checked here so that a typo costs no round trip; the balance is
 * left to the API (409 余额不足), whose reserve is the only up-to-date judge of it. One Idempotency-Key per amount typed: a double click or a
 * retry after a lost answer asks once. A 4xx made no withdrawal, so the next attempt gets a
 * new key; after a 5xx or a network error the outcome is unknown and the key stays.
 */
export function useWithdrawForm(limits: Ref<PaymentLimits | null>) {
  const amount = ref('');
  const pending = ref(false);
  const error = ref('');
  const done = ref<Withdrawal | null>(null);
  let idempotencyKey = newIdempotencyKey();
  // Synchronously: a submit right after the amount changed must already carry the new key.
  watch(amount, () => (idempotencyKey = newIdempotencyKey()), { flush: 'sync' });

  const check = computed(() =>
    checkWithdrawAmount(amount.value, fenOrNull(limits.value?.withdraw_min)),
  );

  /** Sends the request; resolves with the withdrawal, or with null after showing the error. */
  async function submit(): Promise<Withdrawal | null> {
    if (pending.value) return null;
    const checked = check.value;
    if (!checked.ok) {
      error.value = checked.message;
      return null;
    }
    pending.value = true;
    error.value = '';
    done.value = null;
    try {
      done.value = await $fetch<Withdrawal>('/api/users/me/withdrawals', {
        method: 'POST',
        body: { amount: fenToYuan(checked.fen) },
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      amount.value = '';
      return done.value;
    } catch (failure) {
      error.value = apiErrorMessage(failure, '提现申请失败，请稍后重试');
      const status = apiErrorStatus(failure);
      if (status !== undefined && status >= 400 && status < 500) {
        idempotencyKey = newIdempotencyKey();
      }
      return null;
    } finally {
      pending.value = false;
    }
  }

  return { amount, pending, error, done, check, submit };
}

/** "100.00" -> 10000; null when missing or unreadable (then the bound is the API's alone). */
function fenOrNull(yuan: string | undefined): number | null {
  if (yuan === undefined) return null;
  try {
    return parseYuanToFen(yuan);
  } catch {
    return null;
  }
}
