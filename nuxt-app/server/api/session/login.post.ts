import type { SessionUser } from '#shared/types/api';

// Logs in through the API and keeps the token in the httpOnly cookie; the page gets the user.
export default defineEventHandler(async (event) => {
  const { username, password } = await readCredentials(event);
  const result = await callApiJson<{ token: string; user: SessionUser }>(
    event,
    '/users/login',
    'POST',
    { username, password },
  );
  if (result.status !== 200) return relayError(event, result);
  setSessionCookie(event, result.data.token);
  return { user: result.data.user };
});
