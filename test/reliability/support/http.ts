/** A small JSON client for the API processes (fetch over 127.0.0.1, bounded by a timeout). */
export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
  ms: number;
}

export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: {
    token?: string;
    json?: unknown;
    form?: Record<string, string> | string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body =
      typeof options.form === 'string'
        ? options.form
        : new URLSearchParams(options.form).toString();
  }
  const started = Date.now();
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text/plain answers (the notify endpoint)
  }
  return {
    status: response.status,
    body: parsed as T,
    text,
    headers: response.headers,
    ms: Date.now() - started,
  };
}

export interface Account {
  id: number;
  username: string;
  token: string;
}

let counter = 0;

export async function registerAndLogin(base: string, prefix: string): Promise<Account> {
  counter += 1;
  const username = `${prefix}_${process.pid}_${counter}`;
  const password = 'reliability-password';
  const registered = await call(base, 'POST', '/users/register', {
    json: { username, password, nickname: username },
  });
  if (registered.status !== 201)
    throw new Error(`register ${username}: ${registered.status} ${registered.text}`);
  const login = await call(base, 'POST', '/users/login', { json: { username, password } });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
  return { id: registered.body.id as number, username, token: login.body.token as string };
}

/** Runs `task` over `items` with at most `width` in flight. */
export async function inParallel<T, R>(
  items: T[],
  width: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index], index);
      }
    }),
  );
  return results;
}
