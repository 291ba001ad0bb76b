// Formatting shared by server and browser. Times are shown in Beijing time on both sides, so
// the server-rendered text and the hydrated page always agree.
const TIME_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026.05.03 14:05", as the seed's article page shows it (with padded digits). */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(
    TIME_FORMAT.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return `${parts.year}.${parts.month}.${parts.day} ${parts.hour}:${parts.minute}`;
}

/** 12447 -> "12,447", as Jianshu prints counts. */
export function formatCount(value: number | null | undefined): string {
  return (value ?? 0).toLocaleString('en-US');
}
