import { z } from 'zod';
import { IsoTime } from './common';
import { Operation } from './operations';

/**
 * GitHub sync of a project's git workspace (issue #6). The wire shapes shared by the API
 * (backend/sync/) and the extension (status bar, tree, quick pick).
 */

export const SyncCommit = z.object({
  hash: z.string(),
  subject: z.string(),
  author: z.string(),
  time: IsoTime,
});
export type SyncCommit = z.infer<typeof SyncCommit>;

export const SyncAction = z.enum(['fetch', 'push', 'pull', 'import']);
export type SyncAction = z.infer<typeof SyncAction>;

/** GET /api/projects/:id/sync, and the data of the `sync.status` event. */
export const SyncStatus = z.object({
  projectId: z.string(),
  /** false when the project has no repository or the workspace is not a git repository yet. */
  available: z.boolean(),
  /** Why not available, or the last error, in words with the next step. */
  message: z.string().nullable(),
  branch: z.string().nullable(),
  /** e.g. origin/main; null when the branch has no upstream. */
  upstream: z.string().nullable(),
  /** Counts are relative to the last fetch (lastFetchAt). */
  ahead: z.number().int().nonnegative(),
  behind: z.number().int().nonnegative(),
  dirty: z.array(z.string()),
  conflicted: z.array(z.string()),
  /** A merge or rebase the user chose to keep in progress for resolution. */
  inProgress: z.enum(['merge', 'rebase']).nullable(),
  commitsAhead: z.array(SyncCommit),
  commitsBehind: z.array(SyncCommit),
  lastFetchAt: IsoTime.nullable(),
  lastSyncAt: IsoTime.nullable(),
  lastSyncDirection: z.enum(['push', 'pull']).nullable(),
  /** An operation of kind fetch/push/pull running now. */
  syncing: z.boolean(),
  /** https URL of the repository's web page (Open on GitHub). */
  webUrl: z.string().nullable(),
  /**
   * Whether the repository was imported into the workspace: `failed` (message says why; Retry Import),
   * `missing` (never ran, or running now), `imported`. Absent from APIs older than issue #16.
   */
  importState: z.enum(['imported', 'missing', 'failed']).optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** What to do with the agent's uncommitted changes before a pull. */
export const DirtyStrategy = z.enum(['commit', 'stash', 'refuse']);
/** On conflict: abort and list the files (clean workspace), or keep the merge/rebase in progress. */
export const ConflictStrategy = z.enum(['abort', 'keep']);

export const SyncFetchBody = z.strictObject({});
export const SyncPushBody = z.strictObject({
  /** --force-with-lease against the last fetched upstream commit. */
  force: z.boolean().default(false),
});
export const SyncPullBody = z.strictObject({
  mode: z.enum(['merge', 'rebase']).optional().describe('defaults to the project setting (merge)'),
  dirty: DirtyStrategy.default('commit'),
  onConflict: ConflictStrategy.default('abort'),
});

/** The 202 answer of POST /sync/fetch|push|pull: the operation to follow (same events as containers). */
export const SyncOperationAccepted = z.object({ operation: Operation });

/** The result summary kept on a finished sync operation's last step and in sync.result events. */
export const SyncResult = z.object({
  action: SyncAction,
  ok: z.boolean(),
  /** Commits pushed or pulled, newest first. */
  commits: z.array(SyncCommit),
  /** The conflicting files when a pull conflicted. */
  conflicted: z.array(z.string()),
  /** "stashed as stash@{0}" / "committed as abc1234" when the workspace was dirty. */
  dirtyHandling: z.string().nullable(),
  /** What a force push overwrote (upstream commits no longer reachable). */
  overwritten: z.array(SyncCommit),
  message: z.string(),
});
export type SyncResult = z.infer<typeof SyncResult>;

/** The user's GitHub credential (PUT /api/github/credential with a pasted token). Never returned. */
export const GithubCredentialBody = z.strictObject({
  token: z.string().trim().min(10).max(500),
  /** The host (host[:port]) the token is for and only ever sent to: github.com, a GitHub Enterprise or private git host; default github.com. */
  host: z.string().trim().max(200).optional(),
});
/** One stored token: the host it is sent to, and a masked hint. */
export const GithubHostCredential = z.object({
  host: z.string(),
  hint: z.string(),
  login: z.string().nullable(),
  createdAt: IsoTime,
});
export type GithubHostCredential = z.infer<typeof GithubHostCredential>;
/**
 * The token for one host (the one asked for, the one just set, or github.com first), and every
 * host with a token: a user keeps one token per host, each sent only to its own host.
 */
export const GithubCredentialInfo = z.object({
  configured: z.boolean(),
  hint: z.string().nullable(),
  host: z.string().nullable(),
  login: z.string().nullable(),
  createdAt: IsoTime.nullable(),
  hosts: z.array(GithubHostCredential).default([]),
});
/** ?host= on GET and DELETE /api/github/credential (DELETE without it removes every token). */
export const GithubCredentialQuery = z.object({ host: z.string().trim().min(1).max(200).optional() });
export type GithubCredentialInfo = z.infer<typeof GithubCredentialInfo>;

/** 409 detail when stop/delete/tier change would strand work: code `unsynced_changes`. */
export const UnsyncedChanges = z.object({
  commitsAhead: z.array(SyncCommit),
  dirty: z.array(z.string()),
});
export type UnsyncedChanges = z.infer<typeof UnsyncedChanges>;

/** ?ignoreUnsynced=true on stop, delete and a tier change: go ahead despite unsynced_changes. */
export const UnsyncedGuardQuery = z.object({
  ignoreUnsynced: z.enum(['true', 'false']).optional()
    .describe('true = stop/delete/change the tier even when the workspace has unpushed commits or uncommitted files (otherwise 409 unsynced_changes)'),
});

/** POST /api/projects/:id/sync/import: (re)connects the workspace to the project's repository. */
export const SyncImportBody = z.strictObject({});

/** PUT /api/projects/:id/sync/settings: how this project pulls. */
export const SyncSettingsBody = z.strictObject({ pullMode: z.enum(['merge', 'rebase']) });
export const SyncSettings = z.object({ pullMode: z.enum(['merge', 'rebase']) });
export type SyncSettings = z.infer<typeof SyncSettings>;

/** GET /api/projects/:id/sync/conflict?path=: one conflicting file as the workspace has it now. */
export const SyncConflictQuery = z.object({ path: z.string().min(1).max(1000).describe('workspace-relative path of a conflicting file') });
/**
 * The three sides of a conflict and the working file (with its conflict markers). During a kept
 * merge/rebase the sides are git's stages :1: (base), :2: (ours: the workspace's branch), :3:
 * (theirs: upstream); after an aborted pull they are the merge base, HEAD and origin's branch. A
 * side is null when the file does not exist there (added or deleted on one side). Only git's
 * objects are read here; the working file (with its markers) is read through the agent.
 */
export const SyncConflictFile = z.object({
  path: z.string(),
  source: z.enum(['stages', 'refs']),
  inProgress: z.enum(['merge', 'rebase']).nullable(),
  base: z.string().nullable(),
  ours: z.string().nullable(),
  theirs: z.string().nullable(),
  oursLabel: z.string(),
  theirsLabel: z.string(),
});
export type SyncConflictFile = z.infer<typeof SyncConflictFile>;

/**
 * PUT /api/projects/:id/sync/conflict: the merge editor's result for one conflicting file. It is
 * written through git's index (the file is marked resolved, like `git add`), never through a path
 * the agent could have pointed elsewhere.
 */
export const SyncResolveBody = z.strictObject({
  path: z.string().min(1).max(1000),
  content: z.string().max(100_000, 'the resolved file is larger than 100 kB: resolve it in the workspace (ask the agent)'),
});
