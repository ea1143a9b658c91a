import { z } from 'zod';
import { CONTROL_CHARS } from './common';

/**
 * A project's workspace as files (issue #15): the wire shapes of /api/projects/:id/files/…, read
 * by the extension's `hangar:` file system provider. Paths are workspace-relative POSIX paths.
 */

/** Largest file read or written through the API (the JSON body carries it as base64). */
export const WORKSPACE_FILE_LIMIT = 512 * 1024;
/** Most entries one directory listing returns. */
export const WORKSPACE_LIST_LIMIT = 5000;

/** `''` is the workspace itself; otherwise segments without `.`/`..`/empty ones, no leading `/`, no `\`, no control characters. */
export const WorkspacePath = z.string().max(1024).refine(
  (p) => p === '' || (!p.startsWith('/') && !p.includes('\\') && !CONTROL_CHARS.test(p)
    && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s.length <= 255)),
  'a path inside the workspace: relative, "/"-separated, without "." or ".." segments',
);
/** A path that names something inside the workspace (not the workspace itself). */
export const WorkspaceEntryPath = WorkspacePath.refine((p) => p !== '', 'a path inside the workspace, not the workspace itself');

export const WorkspaceFileType = z.enum(['file', 'directory', 'other']);
export type WorkspaceFileType = z.infer<typeof WorkspaceFileType>;

export const WorkspaceStat = z.object({
  /** What it is (for a symlink: what it points to, `other` when that is outside the workspace or missing). */
  type: WorkspaceFileType,
  symlink: z.boolean(),
  size: z.number().int().nonnegative(),
  /** Milliseconds since the epoch. */
  mtime: z.number(),
  ctime: z.number(),
  /** false when the agent's user may not write it. */
  writable: z.boolean(),
});
export type WorkspaceStat = z.infer<typeof WorkspaceStat>;

export const WorkspaceDirEntry = z.object({ name: z.string(), type: WorkspaceFileType, symlink: z.boolean() });
export const WorkspaceDirectory = z.object({
  entries: z.array(WorkspaceDirEntry),
  /** More entries exist than WORKSPACE_LIST_LIMIT. */
  truncated: z.boolean(),
});
export type WorkspaceDirectory = z.infer<typeof WorkspaceDirectory>;

const Base64 = z.string().max(Math.ceil(WORKSPACE_FILE_LIMIT / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const WorkspaceFileContent = z.object({ content: Base64, size: z.number().int().nonnegative() });
export type WorkspaceFileContent = z.infer<typeof WorkspaceFileContent>;

export const WorkspacePathQuery = z.object({ path: WorkspacePath.default('') });
export const WorkspaceEntryQuery = z.object({ path: WorkspaceEntryPath });
export const WorkspaceDeleteQuery = z.object({ path: WorkspaceEntryPath, recursive: z.enum(['true', 'false']).default('false') });

/** VS Code's writeFile options: create a missing file, overwrite an existing one. */
export const WorkspaceWriteBody = z.strictObject({
  path: WorkspaceEntryPath,
  content: Base64,
  create: z.boolean().default(true),
  overwrite: z.boolean().default(true),
});
export const WorkspaceMkdirBody = z.strictObject({ path: WorkspaceEntryPath });
export const WorkspaceRenameBody = z.strictObject({ from: WorkspaceEntryPath, to: WorkspaceEntryPath, overwrite: z.boolean().default(false) });

export const WorkspaceChange = z.object({ type: z.enum(['created', 'changed', 'deleted']), path: z.string() });
export type WorkspaceChange = z.infer<typeof WorkspaceChange>;

/** Data of the `workspace.changed` event: what a file route changed, and whether the agent reloaded its config. */
export const WorkspaceChanged = z.object({
  projectId: z.string(),
  changes: z.array(WorkspaceChange),
  agentReloaded: z.boolean(),
});
export type WorkspaceChanged = z.infer<typeof WorkspaceChanged>;
