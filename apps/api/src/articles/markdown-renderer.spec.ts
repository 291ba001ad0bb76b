import { countWords, renderMarkdown } from './markdown-renderer.js';

describe('renderMarkdown', () => {
  it('renders Markdown to HTML', () => {
    const { render } = renderMarkdown('# 标题\n\n一段 **加粗** 的文字。\n\n- 一\n- 二');
    expect(render).toContain('<h1>标题</h1>');
    expect(render).toContain('<strong>加粗</strong>');
    expect(render).toContain('<li>一</li>');
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '[点我](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '![x](javascript:alert(1))',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](JaVaScRiPt:alert(1))',
    '<svg onload=alert(1)>',
  ])('neutralises %s', (payload) => {
    // Escaped text such as "&lt;img onerror=…&gt;" is inert; no real tag may carry a script.
    const { render } = renderMarkdown(payload);
    expect(render).not.toMatch(/<(script|iframe|svg|div)/i);
    expect(render).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(render).not.toMatch(/<[^>]*(href|src)\s*=\s*["']?\s*javascript:/i);
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
