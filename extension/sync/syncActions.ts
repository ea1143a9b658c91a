import * as vscode from 'vscode';
import type { Operation, Project } from '../../backend/contract';
import type { ForcePushArgs, PullArgs, SyncArgs } from '../core/commandIds';
import { noRepository, resolveProject, statusOf, type SyncContext } from './syncContext';
import { forcePushConfirmation } from './syncMessages';
import { runSyncOperation, type SyncOutcome } from './syncOperation';
import { reportOutcome, type DirtyChoice, type PullMode } from './syncReport';

/** Push, or force push after a modal confirmation (skipped by `{confirm: true}` from code). */
export async function push(
  c: SyncContext, args: SyncArgs | undefined, force: boolean,
): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(c, args, force ? 'Force Push' : 'Push');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  if (force && !(args && 'confirm' in args && (args as ForcePushArgs).confirm === true)) {
    const confirm = forcePushConfirmation(project.name, await statusOf(c, project.id));
    const button = 'Force Push';
    const answer = await vscode.window.showWarningMessage(
      confirm.message, { modal: true, detail: confirm.detail }, button);
    if (answer !== button) return undefined;
  }
  return runAndReport(c, project, force ? 'Force pushing' : 'Pushing', () => c.session.api.syncPush(project.id, force));
}

/** Pull: merge or rebase, and what to do with uncommitted changes, from the arguments, settings or a question. */
export async function pull(c: SyncContext, args: PullArgs | undefined): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(c, args, 'Pull');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  const mode = args?.mode ?? await askPullMode();
  if (!mode) return undefined;
  const status = await statusOf(c, project.id);
  const dirty = args?.dirty ?? (status?.dirty.length ? await askDirty(status.dirty.length) : 'commit');
  if (!dirty) return undefined;
  const onConflict = args?.onConflict ?? 'abort';
  const outcome = await runSyncOperation(c, project, 'Pulling',
    () => c.session.api.syncPull(project.id, { mode, dirty, onConflict }));
  if (outcome) reportOutcome(c, project, outcome, { mode, dirty, onConflict });
  return outcome;
}

export async function fetch(c: SyncContext, args: SyncArgs | undefined): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(c, args, 'Fetch');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  return runAndReport(c, project, 'Fetching', () => c.session.api.syncFetch(project.id));
}

export async function retryImport(c: SyncContext, args: SyncArgs | undefined): Promise<SyncOutcome | undefined> {
  const project = await resolveProject(c, args, 'Retry Import');
  if (!project) return undefined;
  if (!project.repository) return noRepository(c, project);
  return runAndReport(c, project, 'Importing the repository into', () => c.session.api.syncImport(project.id));
}

async function runAndReport(
  c: SyncContext, project: Project, title: string, start: () => Promise<Operation>,
): Promise<SyncOutcome | undefined> {
  const outcome = await runSyncOperation(c, project, title, start);
  if (outcome) reportOutcome(c, project, outcome);
  return outcome;
}

async function askPullMode(): Promise<PullMode | undefined> {
  const setting = vscode.workspace.getConfiguration('hangar').get<string>('sync.pullMode');
  if (setting === 'merge' || setting === 'rebase') return setting;
  const items: Array<vscode.QuickPickItem & { mode: PullMode }> = [
    { label: 'Merge', description: 'a merge commit joins the upstream commits and the workspace\'s', mode: 'merge' },
    { label: 'Rebase', description: 'the workspace\'s commits are replayed on top of upstream', mode: 'rebase' },
  ];
  const picked = await vscode.window.showQuickPick(items,
    { title: 'Pull: merge or rebase?', placeHolder: 'Set "hangar.sync.pullMode" to stop asking' });
  return picked?.mode;
}

async function askDirty(files: number): Promise<DirtyChoice | undefined> {
  const setting = vscode.workspace.getConfiguration('hangar').get<string>('sync.dirtyChanges');
  if (setting === 'commit' || setting === 'stash') return setting;
  const picked = await vscode.window.showQuickPick([
    { label: 'Commit them', description: 'a "WIP" commit in the workspace before the pull', dirty: 'commit' as const },
    { label: 'Stash them', description: 'kept in git stash; restore with git stash pop', dirty: 'stash' as const },
  ], {
    title: `Pull: the workspace has uncommitted changes in ${files} file${files === 1 ? '' : 's'}`,
    placeHolder: 'They are never discarded. Set "hangar.sync.dirtyChanges" to stop asking',
  });
  return picked?.dirty;
}
