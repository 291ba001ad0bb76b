import type { PaymentLimits } from '#shared/types/api';

/**
 * The API's tip bounds, channels and order timeout (GET /payments/limits). Fetched in the
 * browser only: the server-rendered article page stays one API call lighter and the same for
 * everyone, and the limits are there long before a reader has typed an amount. Null until
 * they arrive, or if they cannot be read (the API still checks every order).
 */
export function usePaymentLimits() {
  const { data } = useFetch<PaymentLimits>('/api/payments/limits', {
    key: 'payment-limits',
    server: false,
  });
  return computed<PaymentLimits | null>(() => data.value ?? null);
}
