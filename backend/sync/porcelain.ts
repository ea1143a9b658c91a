import type { SyncCommit } from '../contract';

/** What `git status --porcelain=v2 --branch -z` says, reduced to what sync shows. */
export interface PorcelainStatus {
  /** null when detached (e.g. a rebase stopped on a conflict). */
  branch: string | null;
  /** null before the first commit. */
  oid: string | null;
  upstream: string | null;
  /** Present only when the upstream ref exists locally. */
  ahead: number | null;
  behind: number | null;
  /** Changed, added, deleted, renamed and untracked paths (not ignored ones). */
  dirty: string[];
  conflicted: string[];
}

export function parsePorcelainV2(out: string): PorcelainStatus {
  const s: PorcelainStatus = { branch: null, oid: null, upstream: null, ahead: null, behind: null, dirty: [], conflicted: [] };
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (!f) continue;
    if (f.startsWith('# ')) {
      const [key, ...rest] = f.slice(2).split(' ');
      const value = rest.join(' ');
      if (key === 'branch.oid') s.oid = value === '(initial)' ? null : value;
      else if (key === 'branch.head') s.branch = value === '(detached)' ? null : value;
      else if (key === 'branch.upstream') s.upstream = value;
      else if (key === 'branch.ab') {
        const m = /^\+(\d+) -(\d+)$/.exec(value);
        if (m) { s.ahead = Number(m[1]); s.behind = Number(m[2]); }
      }
      continue;
    }
    const kind = f[0];
    if (kind === '1') s.dirty.push(nthRest(f, 8));
    else if (kind === '2') {
      s.dirty.push(nthRest(f, 9));
      i++; // the original path of a rename/copy is the next NUL-separated field
    } else if (kind === 'u') s.conflicted.push(nthRest(f, 10));
    else if (kind === '?') s.dirty.push(f.slice(2));
  }
  return s;
}

/** The rest of a line after n space-separated fields (a path may itself contain spaces). */
function nthRest(line: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    at = line.indexOf(' ', at) + 1;
    if (at === 0) return '';
  }
  return line.slice(at);
}

/** `git rev-list --left-right --count A...B` → [left, right]. */
export function parseLeftRight(out: string): { left: number; right: number } {
  const m = /^(\d+)\s+(\d+)\s*$/.exec(out.trim());
  if (!m) throw new Error(`unexpected rev-list output: ${out.slice(0, 80)}`);
  return { left: Number(m[1]), right: Number(m[2]) };
}

/** The --format of LOG_ARGS: fields split by US (0x1f), records by RS (0x1e). */
export const LOG_FORMAT = '--format=%H%x1f%s%x1f%an%x1f%aI%x1e';

export function parseLog(out: string): SyncCommit[] {
  const commits: SyncCommit[] = [];
  for (const rec of out.split('\x1e')) {
    const r = rec.replace(/^\n+/, '');
    if (!r) continue;
    const [hash, subject, author, time] = r.split('\x1f');
    if (!hash || time === undefined) continue;
    commits.push({ hash, subject: subject ?? '', author: author ?? '', time: new Date(time.trim()).toISOString() });
  }
  return commits;
}
