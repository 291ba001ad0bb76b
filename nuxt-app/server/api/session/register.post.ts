import type { SessionUser } from '#shared/types/api';

// Registers through the API, then logs the new reader in (cookie set, user returned).
export default defineEventHandler(async (event) => {
  const { username, password, nickname } = await readCredentials(event);
  const registered = await callApiJson(event, '/users/register', 'POST', {
    username,
    password,
    ...(nickname ? { nickname } : {}),
  });
  if (registered.status !== 201) return relayError(event, registered);
  const login = await callApiJson<{ token: string; user: SessionUser }>(
    event,
    '/users/login',
    'POST',
    { username, password },
  );
  if (login.status !== 200) return relayError(event, login);
  setSessionCookie(event, login.data.token);
  setResponseStatus(event, 201);
  return { user: login.data.user };
});
