import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in Markdown is escaped by markdown-it (html: false); sanitize-html is the second
// wall, with an allow-list, so scripts, on* handlers and javascript: links never survive.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    's',
    'del',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title'],
    th: ['style'],
    td: ['style'],
  },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

export interface RenderedArticle {
  render: string;
  wordCount: number;
}

export function renderMarkdown(content: string): RenderedArticle {
  const render = sanitizeHtml(markdown.render(content), SANITIZE_OPTIONS);
  return { render, wordCount: countWords(render) };
}

/**
 * 字数 as Chinese readers count it: every CJK character is one word, and each run of Latin
 * letters or digits is one more. Counted on the rendered text, so Markdown syntax is not.
 */
export function countWords(html: string): number {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  const cjk = text.match(
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu,
  );
  const latin = text.match(/[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*/g);
  return (cjk?.length ?? 0) + (latin?.length ?? 0);
}
