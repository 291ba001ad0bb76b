import { countWords, renderMarkdown } from './markdown-renderer.js';

describe('renderMarkdown', () => {
  it('renders Markdown to HTML', () => {
    const { render } = renderMarkdown('# 标题\n\n一段 **加粗** 的文字。\n\n- 一\n- 二');
    expect(render).toContain('<h1>标题</h1>');
    expect(render).toContain('<strong>加粗</strong>');
    expect(render).toContain('<li>一</li>');
  });

  it.each([
    ['<script>alert(1)</script>', /<script/i],
    ['<img src=x onerror="alert(1)">', /onerror/i],
    ['[点我](javascript:alert(1))', /javascript:/i],
    ['<a href="javascript:alert(1)">x</a>', /<a[^>]+javascript:/i],
    ['![x](javascript:alert(1))', /javascript:/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<div style="background:url(javascript:alert(1))">x</div>', /<div/i],
    ['[x](JaVaScRiPt:alert(1))', /javascript:/i],
    ['<svg onload=alert(1)>', /<svg/i],
  ])('neutralises %s', (payload, forbidden) => {
    expect(renderMarkdown(payload).render).not.toMatch(forbidden);
  });

  it('keeps safe links and opens them in a new tab without an opener', () => {
    const { render } = renderMarkdown('[荏苒](https://renran.example/p/1)');
    expect(render).toBe(
      '<p><a href="https://renran.example/p/1" rel="noopener noreferrer nofollow" target="_blank">荏苒</a></p>\n',
    );
  });
});

describe('countWords', () => {
  it.each([
    ['<p>你读书的样子真好看。</p>', 9],
    ['<p>Hello world</p>', 2],
    ['<p>学习 Node.js 20 很有趣</p>', 8],
    ['<h1>标题</h1><p>**</p>', 2],
    ['', 0],
  ])('counts %s as %d', (html, count) => {
    expect(countWords(html)).toBe(count);
  });
});
