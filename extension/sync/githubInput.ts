import { BranchName, GithubCredentialBody, ProjectName, RepositoryUrl } from '../../backend/contract';

interface Schema { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }

/** The first problem of a value for a zod schema, or undefined when it is valid (for validateInput). */
export function problemOf(schema: Schema, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error?.issues[0]?.message ?? 'invalid value';
}

/** The same rules as the API's GithubCredentialBody, plus: a token has no inner whitespace. */
export function tokenProblem(value: string): string | undefined {
  if (/\s/.test(value.trim())) return 'a token has no spaces';
  return problemOf(GithubCredentialBody.shape.token, value);
}

/** The same rules as the API's RepositoryUrl: https, no credentials, nothing option-like. */
export const repositoryUrlProblem = (v: string): string | undefined => problemOf(RepositoryUrl, v);
export const branchProblem = (v: string): string | undefined => problemOf(BranchName, v);
export const projectNameProblem = (v: string): string | undefined => problemOf(ProjectName, v);

/** The host (host[:port], lower case) a repository URL's token must be for; undefined when not a URL. */
export function repositoryHost(url: string | undefined): string | undefined {
  try { return url ? new URL(url.trim()).host.toLowerCase() || undefined : undefined; } catch { return undefined; }
}

/** The same rule as the API's: a host name like github.com or github.example.com:8443. */
export function hostProblem(value: string): string | undefined {
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value.trim()) ? undefined : 'a host name like github.example.com or git.example.com:8443';
}

/** The hosts "Set GitHub Token" offers: github.com first, then your projects' hosts and those with a token. */
export function hostChoices(repositoryUrls: Array<string | undefined>, tokenHosts: string[]): string[] {
  const hosts = new Set(['github.com']);
  for (const u of repositoryUrls) { const h = repositoryHost(u); if (h) hosts.add(h); }
  for (const h of tokenHosts) hosts.add(h);
  return [...hosts];
}
