import type { SessionUser } from '#shared/types/api';

// Who is logged in: `{user: null}` without a (valid) cookie; an expired token is forgotten.
export default defineEventHandler(async (event) => {
  if (!getCookie(event, SESSION_COOKIE)) return { user: null };
  const result = await callApiJson<SessionUser>(event, '/users/me', 'GET');
  if (result.status === 401) {
    clearSessionCookie(event);
    return { user: null };
  }
  if (result.status !== 200) return relayError(event, result);
  return { user: result.data };
});
