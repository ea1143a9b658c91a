import type { Project, SyncStatus } from '../../backend/contract';
import type { SyncArgs } from '../core/commandIds';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import type { OperationTracker } from '../projects/operationTracker';
import { pickProject, projectIdOf } from '../projects/projectPicker';
import type { Notices } from './notices';
import type { ConflictFiles } from './remoteFiles';
import type { SyncModel } from './syncModel';

export interface SyncCommandDeps {
  session: HangarSession;
  model: SyncModel;
  tracker: OperationTracker;
  log: Logger;
  notices: Notices;
  /** GET /api/projects/:id/sync into the model; undefined when it failed (logged). */
  refreshStatus(projectId: string): Promise<SyncStatus | undefined>;
  /** Operations these commands started and report themselves (the feature reports the others'). */
  ownOperations: Set<string>;
  /** The documents of the conflicts' sides (the merge editor's base and inputs). */
  conflictSides: ConflictFiles;
}

/** What every sync command shares: its dependencies and the files of each project's last conflict notice. */
export interface SyncContext extends SyncCommandDeps {
  /** The files of the last conflict notice of a project (after an aborted pull the status lists none). */
  lastConflicts: Map<string, string[]>;
}

export function syncContext(d: SyncCommandDeps): SyncContext {
  const lastConflicts = new Map<string, string[]>();
  d.model.onDidFinish((r) => {
    if (r.result.action === 'pull' && r.result.conflicted.length) lastConflicts.set(r.projectId, r.result.conflicted);
  });
  return { ...d, lastConflicts };
}

/** The project a command is about: a tree row, code's `{id}`, the focused project, or a pick. */
export async function resolveProject(
  c: SyncContext, args: SyncArgs | undefined, title: string,
): Promise<Project | undefined> {
  // A tree row (RowTreeItem: `projectId`, and an `id` that is the row's) or code's `{id}`.
  const id = projectIdOf(args) ?? c.model.focused;
  if (id) return c.session.store.project(id) ?? await c.session.api.project(id);
  return pickProject(c.session, {
    title, placeHolder: 'The project to sync', filter: (p) => p.repository !== null,
    none: 'no project has a repository: use "Hangar: Import from GitHub…"',
  });
}

export async function statusOf(c: SyncContext, projectId: string): Promise<SyncStatus | undefined> {
  return c.model.status(projectId) ?? await c.refreshStatus(projectId);
}

export function noRepository(c: SyncContext, project: Project): undefined {
  void c.notices.raise('info', 'info', project.id,
    `Hangar: "${project.name}" has no GitHub repository. Import one with "Hangar: Import from GitHub…".`);
  return undefined;
}
