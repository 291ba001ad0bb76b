import type { PayoutAccount } from '#shared/types/api';

// The wallet's payout account as `{account}`, null until the author sets one. The API answers
// 404 for "none yet" (DESIGN.md); asked from the browser after an in-site navigation, that 404
// would be logged as an error on a page where nothing went wrong.
export default defineEventHandler(async (event) => {
  const result = await callApiJson<PayoutAccount>(event, '/users/me/payout-account', 'GET');
  if (result.status === 404) return { account: null };
  if (result.status !== 200) return relayError(event, result);
  return { account: result.data };
});
