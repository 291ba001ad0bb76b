import { rewardSubject } from './reward-subject.js';

describe('rewardSubject', () => {
  it.each([
    ['告别平庸的15个小方法', '打赏文章《告别平庸的15个小方法》'],
    ['a/b=c&d', '打赏文章《a b c d》'],
    ['  多余   空格 ', '打赏文章《多余 空格》'],
  ])('turns %p into %p', (name, subject) => {
    expect(rewardSubject(name)).toBe(subject);
  });

  it('stays within 256 characters', () => {
    const subject = rewardSubject('长'.repeat(400));
    expect([...subject].length).toBe(256);
    expect(subject.endsWith('…》')).toBe(true);
  });
});
