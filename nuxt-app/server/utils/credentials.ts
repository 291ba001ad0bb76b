import type { H3Event } from 'h3';

/** The login / register form, as strings; the API validates the values themselves. */
export async function readCredentials(
  event: H3Event,
): Promise<{ username: string; password: string; nickname?: string }> {
  const body: unknown = await readBody(event).catch(() => null);
  const field = (name: string): string | undefined => {
    const value = (body as Record<string, unknown> | null)?.[name];
    return typeof value === 'string' ? value : undefined;
  };
  const nickname = field('nickname')?.trim();
  return {
    username: field('username')?.trim() ?? '',
    password: field('password') ?? '',
    nickname: nickname || undefined,
  };
}
