import type { Ref } from 'vue';
import type { RewardOrder } from '#shared/types/api';

const POLL_INTERVAL_MS = 1500;
const POLL_LIMIT_MS = 60_000;

/** The order's own address on the site's API proxy. */
export function rewardOrderPath(tradeNo: string): string {
  return `/api/payments/rewards/${encodeURIComponent(tradeNo)}`;
}

/**
 * Asks about an order every 1.5 s until its status is final (paid, cancelled, expired,
 * refunded), for up to a minute; `gaveUp` says the minute passed without an answer.
 * Browser-only: start it from onMounted. Stops by itself when the component goes away.
 */
export function useOrderPolling(order: Ref<RewardOrder | null>, onFinal: () => Promise<unknown>) {
  const polling = ref(false);
  const gaveUp = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    clearTimeout(timer);
    polling.value = false;
  }

  function start(tradeNo: string): void {
    stop();
    const deadline = Date.now() + POLL_LIMIT_MS;
    polling.value = true;
    gaveUp.value = false;
    const tick = async () => {
      try {
        order.value = await $fetch<RewardOrder>(rewardOrderPath(tradeNo));
      } catch (failure) {
        // Not found or forbidden will not change by asking again; 429 and 5xx may.
        const status = apiErrorStatus(failure);
        if (status !== undefined && status < 500 && status !== 429) {
          stop();
          gaveUp.value = true;
          return;
        }
      }
      if (order.value && isFinalStatus(order.value.status)) {
        stop();
        await onFinal();
        return;
      }
      if (Date.now() >= deadline) {
        stop();
        gaveUp.value = true;
        return;
      }
      timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
  }

  onBeforeUnmount(stop);
  return { polling, gaveUp, start, stop };
}
