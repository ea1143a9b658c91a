// Markdown tokens for untrusted agent output, with limits: marked's inline parser is quadratic on
// some inputs (thousands of `**a_`), so an inline run that is too long or too dense with emphasis
// delimiters stays plain text, and a huge text is not parsed at all. No HTML is ever produced here:
// Markdown.tsx renders the tokens as Preact elements (raw HTML tokens become visible text).
import { Lexer, type Token, type Tokens } from 'marked';

/** Beyond this a part is shown as plain text (a 1 MB single line must not freeze the panel). */
export const MAX_MARKDOWN_CHARS = 200_000;
/** Inline runs longer than this, or with more emphasis delimiters, are not parsed for inline markup. */
export const MAX_INLINE_CHARS = 20_000;
export const MAX_INLINE_DELIMITERS = 600;

export type MarkdownTokens = Token[] | { plain: string };

export function lexMarkdown(src: string): MarkdownTokens {
  if (src.length > MAX_MARKDOWN_CHARS) return { plain: src };
  try {
    const lexer = new Lexer({ gfm: true, breaks: false, async: false });
    const tokens: Token[] = lexer.blockTokens(src.replace(/\r\n?/g, '\n'), []);
    for (const { src: inline, tokens: into } of lexer.inlineQueue) {
      if (tooHeavy(inline)) into.push({ type: 'text', raw: inline, text: inline, escaped: false } as Tokens.Text);
      else {
        lexer.state.inRawBlock = false;
        lexer.inlineTokens(inline, into);
      }
    }
    lexer.inlineQueue = [];
    return tokens;
  } catch {
    // Thousands of nested `>` overflow marked's recursion: such a text is shown as it is.
    return { plain: src };
  }
}

function tooHeavy(s: string): boolean {
  if (s.length > MAX_INLINE_CHARS) return true;
  let delimiters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c === 42 /* * */ || c === 95 /* _ */ || c === 126 /* ~ */) && ++delimiters > MAX_INLINE_DELIMITERS) return true;
  }
  return false;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** marked keeps entities as written; text nodes need them decoded (as text: never parsed as HTML). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** What a link may do: open through the host (http, https, mailto, or a workspace path), or nothing. */
export function linkTarget(href: string): string | null {
  const h = href.trim();
  if (!h || h.length > 8192) return null;
  // Control characters and whitespace inside a scheme are how `java\tscript:` tricks work.
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase();
  // A relative path has nothing to open (the host opens http, https and mailto only): shown as text,
  // never as a link that does nothing when clicked.
  if (scheme === undefined) return null;
  return scheme === 'http' || scheme === 'https' || scheme === 'mailto' ? h : null;
}
