import * as vscode from 'vscode';
import type { Project, UnsyncedChanges } from '../../backend/contract';
import type { SyncOutcome } from './syncCommands';
import { unsyncedWarning, type GuardedAction } from './syncMessages';

export type GuardAnswer = 'pushed' | 'ignore' | 'cancel';

/**
 * The API refused to stop/delete/change the tier of a project with work not on GitHub (409
 * unsynced_changes): warn with the commits and files, and offer "Push, then continue" / "Continue anyway".
 * 'pushed': push succeeded, try again (the API guards again if uncommitted files remain);
 * 'ignore': try again with ignoreUnsynced; 'cancel': stop here.
 */
export async function askAboutUnsynced(project: Project, action: GuardedAction, changes: UnsyncedChanges): Promise<GuardAnswer> {
  const w = unsyncedWarning(action, project.name, changes);
  const push = 'Push, then continue';
  const go = 'Continue anyway';
  const buttons = changes.commitsAhead.length ? [push, go] : [go];
  const answer = await vscode.window.showWarningMessage(w.message, { modal: true, detail: w.detail }, ...buttons);
  if (answer === go) return 'ignore';
  if (answer !== push) return 'cancel';
  const outcome = await vscode.commands.executeCommand<SyncOutcome | undefined>('hangar.push', { id: project.id });
  // The push reported its own failure (refused, conflict, error): the action waits for the user.
  return outcome?.result?.ok ? 'pushed' : 'cancel';
}
