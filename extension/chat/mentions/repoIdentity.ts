// Whether the VS Code workspace and the project's container hold the same repository: the project's
// repository URL against the workspace's git remotes, compared as host/owner/name (scheme, user,
// `.git` and case of the host do not matter).

/**
 * `https://github.com/Owner/Repo.git`, `git@github.com:Owner/Repo`, `ssh://git@host:22/o/r`
 * → `github.com/Owner/Repo`.
 */
export function repoKey(url: string): string | undefined {
  let s = url.trim();
  if (!s) return undefined;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(s);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    try {
      const u = new URL(s);
      if (u.protocol === 'file:') return undefined;
      host = u.hostname;
      path = u.pathname;
    } catch {
      return undefined;
    }
  }
  s = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '');
  if (!s || !host) return undefined;
  return `${host.toLowerCase()}/${s}`;
}

/** True when the project's repository is one of the workspace folder's remotes. */
export function sameRepository(
  projectRepoUrl: string | null | undefined, workspaceRemotes: readonly string[],
): boolean {
  const want = projectRepoUrl ? repoKey(projectRepoUrl) : undefined;
  if (!want) return false;
  return workspaceRemotes.some((r) => repoKey(r)?.toLowerCase() === want.toLowerCase());
}

/** `git config --get-regexp` output (`remote.origin.url https://…` per line) → the URLs. */
export function parseRemoteUrls(output: string): string[] {
  return output.split(/\r?\n/).flatMap((line) => {
    const m = /^remote\.[^\s]+\.url\s+(\S+)\s*$/.exec(line.trim());
    return m ? [m[1]!] : [];
  });
}
