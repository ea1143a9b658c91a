// `@` mentions in the composer: finding the query at the cursor, fuzzy ranking, and the
// `@path#L10-24` form a mention is written and shown in. Plain functions, unit-tested in node.
import type { Mention, MentionResult } from '../protocol';

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

/** The mentions the user picked that are still in the text, in text order, without duplicates. */
export function mentionsInText(text: string, picked: ReadonlySet<string>): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/(^|\s)(@[^\s]+)/g)) {
    const token = m[2]!.replace(/[.,;:!?)]+$/, '');
    if (!picked.has(token) || seen.has(token)) continue;
    seen.add(token);
    const parsed = parseMention(token);
    if (parsed) out.push(parsed);
  }
  return out;
}

/**
 * A fuzzy score: every query character must appear in order. Matches at the start of a path
 * segment, consecutive runs and matches in the file name score higher; shorter paths win ties.
 * null when it does not match.
 */
export function fuzzyScore(query: string, path: string): number | null {
  if (!query) return 0;
  const q = query.toLowerCase();
  const p = path.toLowerCase();
  const nameStart = p.lastIndexOf('/') + 1;
  let score = 0;
  let pi = 0;
  let run = 0;
  for (let qi = 0; qi < q.length; qi++) {
    const ch = q[qi]!;
    const found = p.indexOf(ch, pi);
    if (found < 0) return null;
    run = found === pi && qi > 0 ? run + 1 : 0;
    score += 1 + run * 3;
    const prev = p[found - 1];
    if (found === 0 || prev === '/' || prev === '.' || prev === '_' || prev === '-') score += 4;
    if (found >= nameStart) score += 2;
    pi = found + 1;
  }
  if (p.slice(nameStart).startsWith(q)) score += 10;
  return score - path.length * 0.01;
}

export function fuzzyFilter(items: readonly MentionResult[], query: string, limit = 50): MentionResult[] {
  const scored: Array<[number, MentionResult]> = [];
  for (const item of items) {
    const s = fuzzyScore(query, item.path);
    if (s !== null) scored.push([s, item]);
  }
  scored.sort((a, b) => b[0] - a[0] || (a[1].path < b[1].path ? -1 : 1));
  return scored.slice(0, limit).map(([, item]) => item);
}
