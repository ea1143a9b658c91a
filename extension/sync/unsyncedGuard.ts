import * as vscode from 'vscode';
import type { Project, SyncStatus, UnsyncedChanges } from '../../backend/contract';
import type { SyncOutcome } from './syncOperation';
import { guardButtons, unsyncedWarning, type GuardedAction } from './syncMessages';

export type GuardAnswer = 'pushed' | 'ignore' | 'cancel';

/**
 * The API refused to stop/delete/change the tier of a project with work not on GitHub (409
 * unsynced_changes): warn with the commits and files. The safe button comes first (the modal's
 * Enter default): "Push, then …" when there are commits, else "Keep …"; "… Anyway" is never the default.
 * 'pushed': push succeeded, try again (the API guards again if uncommitted files remain);
 * 'ignore': try again with ignoreUnsynced; 'cancel': stop here.
 */
export async function askAboutUnsynced(project: Project, action: GuardedAction, changes: UnsyncedChanges): Promise<GuardAnswer> {
  const w = unsyncedWarning(action, project.name, changes);
  const b = guardButtons(action, changes);
  const answer = await vscode.window.showWarningMessage(w.message, { modal: true, detail: w.detail }, b.safe, b.anyway);
  if (answer === b.anyway) return 'ignore';
  if (answer !== b.safe || !b.push) return 'cancel';
  return pushFirst(project);
}

async function pushFirst(project: Project): Promise<GuardAnswer> {
  const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.push', { id: project.id });
  // The push reported its own failure (refused, conflict, error): the action waits for the user.
  return outcome?.result?.ok ? 'pushed' : 'cancel';
}

/** The work a delete would strand, from the sync status (as of the last fetch); undefined when none is known. */
export function unsyncedOf(status: SyncStatus | undefined): UnsyncedChanges | undefined {
  if (!status?.available) return undefined;
  const dirty = [...status.dirty, ...status.conflicted];
  return status.commitsAhead.length || dirty.length ? { commitsAhead: status.commitsAhead, dirty } : undefined;
}

export type DeleteAnswer = { go: false } | { go: true; deleteVolumes: boolean; ignoreUnsynced: boolean };

/**
 * The one modal of Delete: the confirmation, with the work not on GitHub when there is some (so no
 * second modal follows). Safe first: "Push, then Delete" / "Keep Project" with unsynced work.
 */
export async function confirmDelete(project: Project, changes: UnsyncedChanges | undefined): Promise<DeleteAnswer> {
  const about = 'Its container is removed. "… with Workspace" also removes the workspace volume. This cannot be undone.';
  if (!changes) {
    const keep = 'Delete';
    const wipe = 'Delete with Workspace';
    const answer = await vscode.window.showWarningMessage(`Delete project "${project.name}"?`,
      { modal: true, detail: `${about} Unpushed work that is only in the workspace is lost.` }, keep, wipe);
    return answer === keep || answer === wipe ? { go: true, deleteVolumes: answer === wipe, ignoreUnsynced: false } : { go: false };
  }
  const w = unsyncedWarning('delete', project.name, changes);
  const b = guardButtons('delete', changes);
  const wipe = `${b.anyway} with Workspace`;
  const answer = await vscode.window.showWarningMessage(`Delete project "${project.name}"? It has work that is not on GitHub`,
    { modal: true, detail: `${w.detail}\n\n${about}` }, b.safe, b.anyway, wipe);
  if (answer === b.anyway || answer === wipe) return { go: true, deleteVolumes: answer === wipe, ignoreUnsynced: true };
  if (answer !== b.safe || !b.push) return { go: false };
  return (await pushFirst(project)) === 'pushed' ? { go: true, deleteVolumes: false, ignoreUnsynced: false } : { go: false };
}
