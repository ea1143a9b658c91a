/**
 * Whether two git remote URLs name the same repository: https://github.com/o/r, https://github.com/o/r.git,
 * git@github.com:o/r.git and ssh://git@github.com/o/r all do. Host and path compare case-insensitively
 * (GitHub's names do); credentials and ports are ignored.
 */
export function repositoryKey(url: string): string | undefined {
  const s = url.trim();
  if (!s) return undefined;
  let host: string;
  let pathPart: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(s);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && scp) {
    host = scp[1]!;
    pathPart = scp[2]!;
  } else {
    let u: URL;
    try { u = new URL(s); } catch { return undefined; }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return undefined;
    host = u.hostname;
    pathPart = decodeURIComponent(u.pathname);
  }
  const cleaned = pathPart.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  if (!host || !cleaned) return undefined;
  return `${host.toLowerCase()}/${cleaned.toLowerCase()}`;
}

export function sameRepository(a: string, b: string): boolean {
  const ka = repositoryKey(a);
  return ka !== undefined && ka === repositoryKey(b);
}

/** The repository's name for a default project name: https://github.com/o/my-repo.git → my-repo. */
export function repositoryName(url: string): string | undefined {
  const key = repositoryKey(url);
  if (!key) return undefined;
  const last = url.trim().replace(/\/+$/, '').replace(/\.git$/i, '').split(/[/:]/).at(-1);
  return last || undefined;
}

const CONFLICT_CODES = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

/** The unmerged paths of `git status --porcelain=v1 -z` output. */
export function conflictedInPorcelain(output: string): string[] {
  const entries = output.split('\0');
  const files: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 4) continue;
    const code = e.slice(0, 2);
    if (CONFLICT_CODES.has(code)) files.push(e.slice(3));
    if (code[0] === 'R' || code[0] === 'C') i++; // a rename carries its source path as the next entry
  }
  return files;
}
