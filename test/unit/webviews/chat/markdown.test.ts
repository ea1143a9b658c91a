import assert from 'node:assert/strict';
import type { Token } from 'marked';
import { highlight, languageOf } from '../../../../webviews/chat/markdown/highlight';
import { decodeEntities, lexMarkdown, linkTarget, MAX_MARKDOWN_CHARS } from '../../../../webviews/chat/markdown/lex';

// Rendering (raw HTML as text, no handlers, dead javascript: links) is asserted on the real DOM in browser.test.ts.
describe('chat markdown', () => {
  it('only lets http, https and mailto links reach the host (what the host opens); relative ones are text', () => {
    assert.equal(linkTarget('https://example.com/a?b=1'), 'https://example.com/a?b=1');
    assert.equal(linkTarget('mailto:a@b.c'), 'mailto:a@b.c');
    assert.equal(linkTarget('src/app.ts'), null);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' java\tscript:alert(1)', 'java\u0000script:x', 'data:text/html,<script>', 'vbscript:x', 'command:workbench.action.quit', 'vscode://x', 'file:///etc/passwd', '//evil.example/x']) {
      assert.equal(linkTarget(bad), null, bad);
    }
  });

  it('keeps raw HTML as html tokens (Markdown.tsx shows them as text; the browser test checks the DOM)', () => {
    const tokens = lexMarkdown('<script>alert(1)</script>\n\ninline <img src=x onerror=alert(2)>') as Token[];
    assert.equal(tokens[0]?.type, 'html');
    const inline = (tokens.find((t) => t.type === 'paragraph') as { tokens: Token[] }).tokens;
    assert.deepEqual(inline.filter((t) => t.type === 'html').map((t) => t.raw), ['<img src=x onerror=alert(2)>']);
  });

  it('decodes entities into text (it stays text)', () => {
    assert.equal(decodeEntities('a &amp; b &lt;script&gt; &#65;&#x42; &bogus; &#0;'), 'a & b <script> AB &bogus; &#0;');
  });

  it('stays fast and whole on hostile sizes: a 1 MB line, dense emphasis, deep nesting', () => {
    const cases: Array<[string, string]> = [
      ['1 MB single line', 'x'.repeat(1 << 20)],
      ['150 kB single line (parsed)', 'word '.repeat(30_000)],
      ['dense emphasis', '**a_'.repeat(5_000)],
      ['deep quotes', '>'.repeat(5_000) + ' x'],
      ['many links', '[a](b) '.repeat(10_000)],
      ['unclosed fences', '```\n'.repeat(5_000)],
    ];
    for (const [name, src] of cases) {
      const t0 = performance.now();
      const tokens = lexMarkdown(src);
      const ms = performance.now() - t0;
      console.log(`      ${name}: ${ms.toFixed(0)} ms`);
      assert.ok('plain' in tokens || tokens.length > 0);
    }
    assert.deepEqual(lexMarkdown('y'.repeat(MAX_MARKDOWN_CHARS + 1)), { plain: 'y'.repeat(MAX_MARKDOWN_CHARS + 1) });
  });
});

describe('chat code highlighting', () => {
  it('marks keywords, strings, comments and numbers, and keeps every character', () => {
    const code = "const a = 'x'; // note\nreturn 42;";
    const tokens = highlight(code, 'ts');
    assert.equal(tokens.map((t) => t.s).join(''), code);
    assert.deepEqual(tokens.filter((t) => t.c).map((t) => [t.c, t.s]), [['kw', 'const'], ['str', "'x'"], ['com', '// note'], ['kw', 'return'], ['num', '42']]);
  });

  it('knows the usual names, marks diff lines, and leaves unknown or huge code plain', () => {
    assert.equal(languageOf('typescript'), 'js');
    assert.equal(languageOf('bash'), 'sh');
    assert.equal(languageOf('brainfuck'), null);
    assert.deepEqual(highlight('+a\n-b\n c', 'diff').map((t) => t.c), ['add', 'del', null]);
    assert.deepEqual(highlight('<b>', 'nope'), [{ c: null, s: '<b>' }]);
    assert.equal(highlight('x'.repeat(100_000), 'js').length, 1);
  });

  it('survives unterminated strings and comments', () => {
    for (const code of ['"abc', '/* open', "'", '#', '"""x']) {
      assert.equal(highlight(code, 'py').map((t) => t.s).join(''), code);
      assert.equal(highlight(code, 'js').map((t) => t.s).join(''), code);
    }
  });
});
