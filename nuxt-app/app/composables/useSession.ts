import type { SessionUser } from '#shared/types/api';

/** The logged-in reader (null when logged out); filled on the server by plugins/session.ts. */
export function useSessionUser() {
  return useState<SessionUser | null>('session-user', () => null);
}

/** Login, registration, logout and a re-read of the user (its balance changes after paying). */
export function useSession() {
  const user = useSessionUser();
  const requestFetch = useRequestFetch();

  async function refresh(): Promise<SessionUser | null> {
    try {
      const answer = await requestFetch<{ user: SessionUser | null }>('/api/session/me');
      user.value = answer.user;
    } catch {
      user.value = null;
    }
    return user.value;
  }

  async function login(username: string, password: string): Promise<SessionUser> {
    const answer = await $fetch<{ user: SessionUser }>('/api/session/login', {
      method: 'POST',
      body: { username, password },
    });
    user.value = answer.user;
    return answer.user;
  }

  async function register(
    username: string,
    password: string,
    nickname: string,
  ): Promise<SessionUser> {
    const answer = await $fetch<{ user: SessionUser }>('/api/session/register', {
      method: 'POST',
      body: { username, password, nickname },
    });
    user.value = answer.user;
    return answer.user;
  }

  async function logout(): Promise<void> {
    await $fetch('/api/session/logout', { method: 'POST' });
    user.value = null;
  }

  return { user, refresh, login, register, logout };
}

/** On the server, while rendering the article page that every reader shares: no reader. */
export function rendersWithoutReader(): boolean {
  if (!import.meta.server) return false;
  const event = useRequestEvent();
  return event !== undefined && isArticlePageRequest(event.method, event.path);
}
