// The session's changes for the "Changes" list and VS Code's diff editor, without vscode: opencode
// gives each changed file with a unified patch; the diff editor needs both whole texts, so the
// "before" text is the current file with the patch applied backwards.
import { z } from 'zod';
import type { ChatChangedFile } from '../../webviews/protocol/chat';

const OcFileDiff = z.object({
  file: z.string().min(1),
  patch: z.string().optional().catch(undefined),
  additions: z.number().catch(0),
  deletions: z.number().catch(0),
  status: z.enum(['added', 'deleted', 'modified']).optional().catch(undefined),
});
export type FileDiff = z.infer<typeof OcFileDiff>;

export const OcFileDiffList = z.array(z.unknown()).transform((items) => items.flatMap((i) => {
  const r = OcFileDiff.safeParse(i);
  return r.success ? [r.data] : [];
}));

export function changedFileView(d: FileDiff): ChatChangedFile {
  return { file: d.file, status: d.status ?? 'modified', additions: d.additions, deletions: d.deletions };
}

interface Hunk { oldStart: number; newStart: number; lines: string[] }

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  for (const line of patch.split('\n')) {
    const m = HUNK.exec(line);
    if (m) {
      current = { oldStart: Number(m[1]), newStart: Number(m[2]), lines: [] };
      hunks.push(current);
      continue;
    }
    if (!current) continue; // the diff --git / index / --- / +++ header
    if (line.startsWith(' ') || line.startsWith('-') || line.startsWith('+')) current.lines.push(line);
    // `\ No newline at end of file` and the trailing empty string are not lines of either side
  }
  return hunks;
}

/**
 * The text before the patch, given the text after it. Lines outside the hunks are the same on both
 * sides. Undefined when the current text does not match the patch (the file changed since).
 */
export function textBefore(after: string, patch: string): string | undefined {
  const newline = after.endsWith('\n');
  const lines = after === '' ? [] : (newline ? after.slice(0, -1) : after).split('\n');
  const out: string[] = [];
  let cursor = 0; // index into `lines` (0-based)
  for (const h of parseHunks(patch)) {
    const start = Math.max(0, h.newStart - 1);
    if (start < cursor || start > lines.length) return undefined;
    out.push(...lines.slice(cursor, start));
    cursor = start;
    for (const l of h.lines) {
      const text = l.slice(1);
      if (l[0] === '-') {
        out.push(text);
        continue;
      }
      if (lines[cursor] !== text) return undefined;
      if (l[0] === ' ') out.push(text);
      cursor++;
    }
  }
  out.push(...lines.slice(cursor));
  return out.join('\n') + (newline && out.length ? '\n' : '');
}

/** Both sides from the patch alone (only the hunks), when the current file cannot be read or does not match. */
export function sidesFromPatch(patch: string): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const h of parseHunks(patch)) {
    if (before.length || after.length) {
      before.push('⋯');
      after.push('⋯');
    }
    for (const l of h.lines) {
      if (l[0] !== '+') before.push(l.slice(1));
      if (l[0] !== '-') after.push(l.slice(1));
    }
  }
  return { before: before.join('\n'), after: after.join('\n') };
}

/**
 * The two texts the diff editor shows for one changed file. `current` is the file now (undefined: unreadable
 * or gone).
 */
export function diffSides(
  d: FileDiff, current: string | undefined,
): { before: string; after: string; partial: boolean } {
  const patch = d.patch ?? '';
  if (d.status === 'added') {
    return { before: '', after: current ?? sidesFromPatch(patch).after, partial: current === undefined };
  }
  if (d.status === 'deleted') return { before: sidesFromPatch(patch).before, after: '', partial: false };
  if (current !== undefined) {
    const before = textBefore(current, patch);
    if (before !== undefined) return { before, after: current, partial: false };
  }
  return { ...sidesFromPatch(patch), partial: true };
}
