// Turns any failed call into one plain Chinese sentence for the reader.
interface FailedCall {
  statusCode?: number;
  status?: number;
  data?: unknown;
}

export function apiErrorStatus(error: unknown): number | undefined {
  const failed = error as FailedCall | null | undefined;
  return failed?.statusCode ?? failed?.status ?? undefined;
}

export function apiErrorMessage(error: unknown, fallback = '操作失败，请稍后重试'): string {
  const status = apiErrorStatus(error);
  const data = (error as FailedCall | null | undefined)?.data as
    { message?: unknown } | null | undefined;
  if (status === 429) return '操作太频繁，请稍后再试';
  const message = data?.message;
  const text = Array.isArray(message)
    ? message.filter((part) => typeof part === 'string').join('；')
    : typeof message === 'string'
      ? message
      : '';
  // The API speaks Chinese; anything else (a proxy's or a framework's English) is replaced.
  if (text && /[\u4e00-\u9fff]/.test(text)) return text;
  if (status === 401) return '登录已过期，请重新登录';
  if (status === undefined) return '网络异常，请检查网络后重试';
  if (status >= 500) return '服务暂时不可用，请稍后重试';
  if (status === 404) return '内容不存在或已被删除';
  return fallback;
}
