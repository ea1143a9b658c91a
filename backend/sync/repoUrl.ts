import { BranchName, RepositoryUrl } from '../contract';

/**
 * A repository URL git may be handed: checked again here (not only by the contract) because it is
 * about to become an argument of `git`, and the row may predate today's rules.
 */
export class RepoUrlError extends Error {
  override name = 'RepoUrlError';
}

export interface CheckedRepo {
  /** The URL as git receives it (no credentials, https only). */
  url: string;
  /** host[:port], to pick the credential that belongs to it. */
  host: string;
  /** The repository's web page (without .git), for "Open on GitHub". */
  webUrl: string;
}

export function checkRepoUrl(raw: string): CheckedRepo {
  const s = raw.trim();
  const refuse = (why: string) => new RepoUrlError(`The repository URL "${s.slice(0, 120)}" is refused: ${why}. Use an https:// URL like https://github.com/owner/repo.`);
  if (s.startsWith('-')) throw refuse('it looks like a command-line option');
  if (/::/.test(s)) throw refuse('git transport helpers (like ext::) are not allowed');
  // eslint-disable-next-line no-control-regex -- control characters and spaces are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(s)) throw refuse('it contains spaces or control characters');
  let u: URL;
  try { u = new URL(s); } catch { throw refuse('it is not a URL'); }
  if (u.protocol !== 'https:') throw refuse(`only https is allowed, not ${u.protocol.replace(':', '')}`);
  if (u.username || u.password) throw refuse('it contains credentials; set the token with "Hangar: Set GitHub Token" instead');
  if (u.search || u.hash) throw refuse('it has a query or fragment');
  const path = u.pathname.replace(/\/+$/, '');
  if (!/^\/[A-Za-z0-9._~%/-]+$/.test(path) || path.split('/').some((seg) => seg === '..')) throw refuse('its path is not a repository path');
  // The contract's rule (the boundary) last, so the specific reasons above come first.
  if (!RepositoryUrl.safeParse(s).success) throw refuse('it is not a valid https repository URL');
  return { url: `${u.origin}${path}`, host: u.host, webUrl: `${u.origin}${path.replace(/\.git$/, '')}` };
}

export function checkBranch(raw: string): string {
  const parsed = BranchName.safeParse(raw);
  if (!parsed.success || /(^|\/)\.|\.lock$|\/$|@\{|\/\//.test(parsed.data)) {
    throw new RepoUrlError(`The branch name "${raw.slice(0, 80)}" is not a valid git branch name; fix it in the project's repository settings.`);
  }
  return parsed.data;
}
