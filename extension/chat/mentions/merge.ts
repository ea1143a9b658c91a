// One result list for the picker from the workspace index's hits and the container's /find/file
// answer: de-duplicated by relative path, each marked where it lives, ranked by the same scorer.
import type { MentionResult } from '../../../webviews/protocol/chat';
import { nameStartOf, scorePath } from './fuzzy';
import { normaliseQuery, type IndexHit } from './fileIndex';

export interface MergeSources {
  /** The workspace's best hits for the query (FileIndex.query). */
  local: readonly IndexHit[];
  /** The container's paths for the query (opencode's own fuzzy order; folders end with `/`). */
  container: readonly string[];
  /** Whether the workspace holds a path (beyond its top hits). */
  localHas(path: string): boolean;
  /** Whether the container is known to hold a path (from earlier answers). */
  containerHas(path: string): boolean;
}

/** Ranks below every fuzzy match: a container path opencode matched and our scorer did not. */
const UNSCORED = -1e6;

export function mergeResults(rawQuery: string, s: MergeSources, limit: number): MentionResult[] {
  const q = normaliseQuery(rawQuery);
  const byPath = new Map<string, { r: MentionResult; score: number; order: number }>();
  let order = 0;
  for (const hit of s.local) {
    const source = s.containerHas(hit.path) ? 'both' : 'workspace';
    byPath.set(hit.path, { r: { path: hit.path, source, kind: 'file' }, score: hit.score, order: order++ });
  }
  for (const raw of s.container) {
    const isDir = raw.endsWith('/');
    const path = raw.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (!path) continue;
    const seen = byPath.get(path);
    if (seen) {
      if (seen.r.source === 'workspace') seen.r.source = 'both';
      continue;
    }
    const score = scorePath(q, path.toLowerCase(), path, nameStartOf(path)) ?? UNSCORED;
    const source = !isDir && s.localHas(path) ? 'both' : 'container';
    byPath.set(path, { r: { path, source, kind: isDir ? 'directory' : 'file' }, score, order: order++ });
  }
  return [...byPath.values()]
    .sort((a, b) => b.score - a.score || a.r.path.length - b.r.path.length || a.order - b.order)
    .slice(0, limit)
    .map((e) => e.r);
}
