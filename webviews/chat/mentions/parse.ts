// `@` mentions in the composer's text: the query the cursor is in, the `@path#L10-24` form a mention
// is written and shown in, and which of the draft's tokens are mentions. Plain functions, unit-tested
// in node. Ranking happens in the extension host (extension/chat/mentions), not here.
import type { Mention } from '../../protocol/chat';

/** The `@query` the cursor is in: `@` at the start or after whitespace, no whitespace since. */
export function mentionAtCursor(text: string, cursor: number): { start: number; query: string } | null {
  let i = cursor - 1;
  while (i >= 0 && !/\s/.test(text[i]!)) {
    if (text[i] === '@' && (i === 0 || /\s/.test(text[i - 1]!))) return { start: i, query: text.slice(i + 1, cursor) };
    i--;
  }
  return null;
}

export function formatMention(m: Mention): string {
  if (!m.range) return `@${m.path}`;
  return m.range.start === m.range.end ? `@${m.path}#L${m.range.start}` : `@${m.path}#L${m.range.start}-${m.range.end}`;
}

/** `src/app.ts#L10-24` (with or without the `@`) → a mention. */
export function parseMention(s: string): Mention | null {
  const m = /^@?([^\s#]+)(?:#L(\d+)(?:-L?(\d+))?)?$/.exec(s);
  if (!m) return null;
  if (!m[2]) return { path: m[1]! };
  const start = Number(m[2]);
  const end = m[3] ? Number(m[3]) : start;
  if (start < 1 || end < start) return { path: m[1]! };
  return { path: m[1]!, range: { start, end } };
}

/** The `@…` tokens of a text, trailing punctuation dropped (`@a.ts,` → `@a.ts`). */
export function mentionTokens(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)(@[^\s]+)/g)].map((m) => m[1]!.replace(/[.,;:!?)]+$/, ''));
}

/** The mentions the user picked that are still in the text, in text order, without duplicates. */
export function mentionsInText(text: string, picked: ReadonlySet<string>): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const token of mentionTokens(text)) {
    if (!picked.has(token) || seen.has(token)) continue;
    seen.add(token);
    const parsed = parseMention(token);
    if (parsed) out.push(parsed);
  }
  return out;
}

/**
 * A restored draft's mentions: its `@` tokens that look like paths (a `/`, a `.` or a `#L` range),
 * so an `@someone` typed in prose does not turn into a chip after a reload.
 */
export function pickedFromDraft(draft: string): Set<string> {
  return new Set(mentionTokens(draft).filter((t) => /[/.]|#L\d/.test(t.slice(1))));
}

/** The text with `token` put at the cursor (a space on both sides as needed), and where the cursor goes. */
export function insertToken(text: string, cursor: number, token: string): { text: string; cursor: number } {
  const at = Math.max(0, Math.min(cursor, text.length));
  const before = text.slice(0, at);
  const after = text.slice(at);
  const lead = before === '' || /\s$/.test(before) ? '' : ' ';
  const tail = after.startsWith(' ') ? '' : ' ';
  const next = `${before}${lead}${token}${tail}${after}`;
  return { text: next, cursor: before.length + lead.length + token.length + 1 };
}

/** The text with the `@query` the user was typing (from `start` to `cursor`) replaced by the picked token. */
export function replaceQuery(text: string, start: number, cursor: number, token: string): { text: string; cursor: number } {
  const before = text.slice(0, start);
  const after = text.slice(cursor).replace(/^\s+/, '');
  return { text: `${before}${token} ${after}`, cursor: before.length + token.length + 1 };
}

/** The text without a chip's token (whole tokens only) and the space after it. */
export function removeToken(text: string, token: string): string {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(^|\\s)${escaped}(?=[\\s.,;:!?)]|$) ?`, 'g'), '$1');
}
