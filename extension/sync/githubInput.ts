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
