import { z } from 'zod';
import { displayName, IsoTime, listOf } from './common';
import { TierId } from './tiers';
import { RuntimeName } from './runtimes';

export const ProjectStatus = z.enum([
  'not_deployed', 'deploying', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'failed',
]);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const SyncDirection = z.enum(['push', 'pull', 'both']);

/** https only, no credentials, no option-like or transport tricks (ext::, file://). */
export const RepositoryUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => {
    if (s.startsWith('-')) return false;
    // Spaces and control characters would be encoded into the path by URL(); git must never see them.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (/[\s\u0000-\u001f\u007f]/.test(s) || s.includes('::')) return false;
    let u: URL;
    try { u = new URL(s); } catch { return false; }
    if (u.protocol !== 'https:' || u.username || u.password || !u.hostname || u.search || u.hash) return false;
    // The same rules as the import (backend/sync/repoUrl.ts), so a URL accepted here is never refused later.
    const path = u.pathname.replace(/\/+$/, '');
    return /^\/[A-Za-z0-9._~%/-]+$/.test(path) && !path.split('/').some((seg) => seg === '..' || seg === '%2e%2e' || seg === '%2E%2E');
  }, 'an https:// repository URL without credentials, query or fragment, like https://github.com/owner/repo');

export const BranchName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'a git branch name (letters, digits, . _ / -, not starting with -)')
  // git's own rules the sync checks too (backend/sync/repoUrl.ts checkBranch): no segment starting with ".", no ".lock" end, no "//".
  .refine((b) => !/(^|\/)\.|\.lock$|\/$|@\{|\/\//.test(b), 'a git branch name git accepts (no segment starting with ".", no ".lock" end, no "//")');

export const Repository = z.object({
  url: RepositoryUrl,
  branch: BranchName,
  sync: z.object({ enabled: z.boolean(), direction: SyncDirection }),
});
export type Repository = z.infer<typeof Repository>;

export const ProjectName = displayName(80);
export const ProviderId = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'a provider id like "openai"');

/** A runtime note that starts this way: the agent could not take a provider change live; a redeploy applies it. */
export const REDEPLOY_NOTE = 'Provider change needs a redeploy: ';

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  tierId: TierId,
  providerOverride: z.string().nullable(),
  repository: Repository.nullable(),
  status: ProjectStatus,
  statusReason: z.string().nullable(),
  runtime: z.string(),
  urls: z.object({ agent: z.string().nullable(), vnc: z.string().nullable() }),
  /** Tier limits or features this runtime could not enforce for the project, in words. */
  runtimeNotes: z.array(z.string()),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Project = z.infer<typeof Project>;

/** GET /api/projects: one page, newest first (a stable order: creation time, then insertion). */
export const PROJECT_PAGE_DEFAULT = 100;
export const PROJECT_PAGE_MAX = 500;

export const ProjectListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(PROJECT_PAGE_MAX).default(PROJECT_PAGE_DEFAULT)
    .describe(`projects per page, at most ${PROJECT_PAGE_MAX}`),
  cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
});
export type ProjectListQuery = z.input<typeof ProjectListQuery>;

export const ProjectList = listOf(Project).extend({
  /** Pass as `cursor` for the next (older) page; null on the last page (an older server sends none). */
  nextCursor: z.string().nullable().default(null),
});
export type ProjectList = z.infer<typeof ProjectList>;

export const ProjectCreate = z.strictObject({
  name: ProjectName,
  tierId: TierId.optional().describe('defaults to the default tier'),
  providerOverride: ProviderId.nullable().default(null),
  runtime: RuntimeName.optional().describe('where the project runs; defaults to the server\'s HANGAR_RUNTIME (see GET /api/runtimes)'),
  repository: z.strictObject({
    url: RepositoryUrl,
    branch: BranchName.default('main'),
    sync: z.strictObject({ enabled: z.boolean().default(true), direction: SyncDirection.default('both') })
      .default({ enabled: true, direction: 'both' }),
  }).nullable().default(null),
});
export type ProjectCreate = z.input<typeof ProjectCreate>;

export const ProjectUpdate = z.strictObject({
  name: ProjectName,
  tierId: TierId,
  providerOverride: ProviderId.nullable(),
  repository: z.strictObject({
    url: RepositoryUrl,
    branch: BranchName,
    sync: z.strictObject({ enabled: z.boolean(), direction: SyncDirection }),
  }).nullable(),
}).partial();
export type ProjectUpdate = z.infer<typeof ProjectUpdate>;

/**
 * POST /api/projects/:id/redeploy: a new tier and/or another runtime, applied by a force redeploy that
 * keeps the workspace and the agent's sessions (Change Tier…, Move to Runtime…).
 */
export const ProjectRedeploy = z.strictObject({
  tierId: TierId.optional().describe('the tier to redeploy on; the current one when absent'),
  runtime: RuntimeName.optional().describe('the runtime to move the project to, with its workspace and sessions; the current one when absent'),
}).describe('name a tierId, a runtime or both: neither (or the current ones) is 400 nothing_to_change, checked after the project is found so that another user\'s project is 404');
export type ProjectRedeploy = z.infer<typeof ProjectRedeploy>;
