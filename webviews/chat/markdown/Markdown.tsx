// Renders untrusted markdown as Preact elements: every piece of agent text becomes a text node
// (never innerHTML), raw HTML shows as the literal text it is, links only ask the host to open
// them, images are shown as links (the CSP would block them anyway).
import type { Token, Tokens } from 'marked';
import type { ComponentChildren } from 'preact';
import { memo } from 'preact/compat';
import { useContext, useMemo, useState } from 'preact/hooks';
import { ActionsContext } from '../actions';
import { highlight } from './highlight';
import { decodeEntities, lexMarkdown, linkTarget } from './lex';

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const tokens = useMemo(() => lexMarkdown(text), [text]);
  if ('plain' in tokens) return <div class="md md-plain">{tokens.plain}</div>;
  return <div class="md">{blocks(tokens)}</div>;
});

function blocks(tokens: Token[]): ComponentChildren[] {
  return tokens.map((t, i) => block(t, i));
}

function block(t: Token, key: number): ComponentChildren {
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens)}</p>;
    case 'text': {
      const tt = t as Tokens.Text;
      return <span key={key}>{tt.tokens ? inline(tt.tokens) : decodeEntities(tt.text)}</span>;
    }
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = (`h${Math.min(6, Math.max(3, h.depth + 2))}`) as 'h3';
      return <Tag key={key} class={`md-h md-h${h.depth}`}>{inline(h.tokens)}</Tag>;
    }
    case 'code': {
      const c = t as Tokens.Code;
      return <CodeBlock key={key} code={c.text} lang={c.lang} />;
    }
    case 'blockquote':
      return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens)}</blockquote>;
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((item, i) => (
        <li key={i}>
          {item.task && <input type="checkbox" checked={item.checked} disabled aria-label={item.checked ? 'done' : 'to do'} />}
          {blocks(item.tokens.filter((x) => x.type !== 'checkbox'))}
        </li>
      ));
      return l.ordered
        ? <ol key={key} start={typeof l.start === 'number' ? l.start : undefined}>{items}</ol>
        : <ul key={key}>{items}</ul>;
    }
    case 'table': {
      const tb = t as Tokens.Table;
      const align = (a: string | null) => (a ? { textAlign: a } : undefined);
      return (
        <div key={key} class="md-table-wrap">
          <table>
            <thead><tr>{tb.header.map((c, i) => <th key={i} style={align(c.align)}>{inline(c.tokens)}</th>)}</tr></thead>
            <tbody>{tb.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} style={align(c.align)}>{inline(c.tokens)}</td>)}</tr>)}</tbody>
          </table>
        </div>
      );
    }
    case 'hr':
      return <hr key={key} />;
    case 'html':
      // Raw HTML from the agent: shown as the text it is, never interpreted.
      return <pre key={key} class="md-raw">{(t as Tokens.HTML).text}</pre>;
    default:
      return 'raw' in t ? <span key={key}>{String(t.raw)}</span> : null;
  }
}

function inline(tokens: Token[] | undefined): ComponentChildren[] {
  return (tokens ?? []).map((t, i) => inlineToken(t, i));
}

function inlineToken(t: Token, key: number): ComponentChildren {
  switch (t.type) {
    case 'text': {
      const tt = t as Tokens.Text;
      return tt.tokens ? <span key={key}>{inline(tt.tokens)}</span> : decodeEntities(tt.text);
    }
    case 'escape':
      return (t as Tokens.Escape).text;
    case 'strong':
      return <strong key={key}>{inline((t as Tokens.Strong).tokens)}</strong>;
    case 'em':
      return <em key={key}>{inline((t as Tokens.Em).tokens)}</em>;
    case 'del':
      return <del key={key}>{inline((t as Tokens.Del).tokens)}</del>;
    case 'codespan':
      return <code key={key}>{decodeEntities((t as Tokens.Codespan).text)}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const l = t as Tokens.Link;
      return <Link key={key} href={l.href} title={l.title ?? undefined}>{inline(l.tokens)}</Link>;
    }
    case 'image': {
      const im = t as Tokens.Image;
      return <Link key={key} href={im.href} title={im.title ?? undefined}>{`image: ${im.text || im.href}`}</Link>;
    }
    case 'html':
      return <code key={key} class="md-raw-inline">{(t as Tokens.Tag).text}</code>;
    default:
      return 'raw' in t ? String(t.raw) : null;
  }
}

/** No href at all: a click asks the host, which confirms external URLs before opening them. */
function Link({ href, title, children }: { href: string; title?: string; children: ComponentChildren }) {
  const { openLink } = useContext(ActionsContext);
  const target = linkTarget(href);
  if (!target) return <span class="md-link-blocked" title={`Not opened from the chat: ${href.slice(0, 200)}`}>{children}</span>;
  const open = (e: Event) => {
    e.preventDefault();
    openLink(target);
  };
  return (
    <a
      class="md-link" role="link" tabIndex={0} title={title ? `${title} — ${target}` : target}
      onClick={open} onKeyDown={(e) => { if (e.key === 'Enter') open(e); }}
    >{children}</a>
  );
}

export function CodeBlock({ code, lang }: { code: string; lang?: string }) {
  const { copy } = useContext(ActionsContext);
  const [copied, setCopied] = useState(false);
  const tokens = useMemo(() => highlight(code, lang), [code, lang]);
  const label = (lang ?? '').trim().split(/\s/)[0] ?? '';
  return (
    <div class="md-code">
      <div class="md-code-bar">
        <span class="md-code-lang">{label}</span>
        <button
          type="button" class="md-copy" aria-label="Copy code"
          onClick={() => { copy(code); setCopied(true); setTimeout(() => setCopied(false), 1500); }}
        >{copied ? 'Copied' : 'Copy'}</button>
      </div>
      <pre><code>{tokens.map((t, i) => (t.c ? <span key={i} class={`hl-${t.c}`}>{t.s}</span> : t.s))}</code></pre>
    </div>
  );
}
