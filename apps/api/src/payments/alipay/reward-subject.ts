const MAX_SUBJECT_LENGTH = 256;

/**
 * The order subject Alipay shows the buyer: 打赏文章《title》, at most 256 characters and
 * without `/`, `=` or `&`, which Alipay refuses in a subject.
 */
export function rewardSubject(articleName: string): string {
  const prefix = '打赏文章《';
  const suffix = '》';
  const clean = articleName.replace(/[/=&]/g, ' ').replace(/\s+/g, ' ').trim();
  const room = MAX_SUBJECT_LENGTH - prefix.length - suffix.length;
  const title = [...clean].length > room ? `${[...clean].slice(0, room - 1).join('')}…` : clean;
  return `${prefix}${title}${suffix}`;
}
