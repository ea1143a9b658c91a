import * as vscode from 'vscode';
import type { Project, SyncResult } from '../../backend/contract';
import { hostOfTokenMessage, importFailedNotice } from './importNotice';
import type { Notices } from './notices';
import { openConflictingFiles, type OpenedFile } from './remoteFiles';
import type { SyncContext } from './syncContext';
import { conflictNotice, resultSummary } from './syncMessages';
import type { SyncOutcome } from './syncOperation';

export type PullMode = 'merge' | 'rebase';
export type DirtyChoice = 'commit' | 'stash';
export interface PullChoices { mode: PullMode; dirty: DirtyChoice; onConflict: 'abort' | 'keep' }

/** The end of an operation, in words: a summary, the conflict notification, or what went wrong. */
export function reportOutcome(c: SyncContext, project: Project, outcome: SyncOutcome, pull?: PullChoices): void {
  const { result, operation } = outcome;
  if (result?.ok) {
    reportSuccess(c, project, result, pull);
  } else if (result && result.action === 'pull' && result.conflicted.length) {
    raiseConflict(c, project, result.conflicted, pull?.onConflict === 'keep', pull);
  } else if (result && result.action === 'import') {
    reportImportFailure(c.notices, project, result);
  } else if (result && result.action === 'push') {
    reportPushRefused(c, project, result);
  } else if (result) {
    offerLog(c.notices.raise('failed', 'error', project.id,
      `Hangar: ${result.action} of "${project.name}" failed: ${result.message}`, ['Show Log'] as const));
  } else if (operation.state === 'succeeded') {
    void vscode.window.setStatusBarMessage(`$(check) Hangar: ${operation.kind} of "${project.name}" done`, 5000);
  } else {
    offerLog(c.notices.raise('failed', 'error', project.id,
      `Hangar: ${operation.kind} of "${project.name}" ${operation.state}: ${operation.error ?? 'no reason given'}`,
      ['Show Log'] as const));
  }
}

function reportSuccess(c: SyncContext, project: Project, result: SyncResult, pull?: PullChoices): void {
  if (result.action === 'fetch') {
    const s = c.model.status(project.id);
    const counts = s ? ` (↑${s.ahead} ↓${s.behind})` : '';
    void vscode.window.setStatusBarMessage(`$(check) Hangar: fetched "${project.name}"${counts}`, 5000);
    return;
  }
  void c.notices.raise('summary', 'info', project.id, resultSummary(result, project.name, pull?.mode));
}

function reportPushRefused(c: SyncContext, project: Project, result: SyncResult): void {
  const text = /^Push refused\b/.test(result.message) ? result.message : `Push refused: ${result.message}`;
  const message = `Hangar: "${project.name}": ${text}`;
  void c.notices.raise('pushRefused', 'warning', project.id, message, ['Pull', 'Force Push'] as const)
    .then((choice) => {
      if (choice === 'Pull') void vscode.commands.executeCommand('hangar.pull', { id: project.id });
      if (choice === 'Force Push') void vscode.commands.executeCommand('hangar.forcePush', { id: project.id });
    });
}

function offerLog(choice: Thenable<'Show Log' | undefined>): void {
  void choice.then((c) => c && vscode.commands.executeCommand('hangar.showLog'));
}

function raiseConflict(
  c: SyncContext, project: Project, files: string[], kept: boolean, pull?: Pick<PullChoices, 'mode' | 'dirty'>,
): void {
  const notice = conflictNotice(project.name, files, kept);
  void c.notices.raise('conflict', 'warning', project.id, notice.message, notice.items).then(async (choice) => {
    switch (choice) {
      case 'Force Push':
        await vscode.commands.executeCommand('hangar.forcePush', { id: project.id });
        return;
      case 'Pull and Merge':
        await vscode.commands.executeCommand('hangar.pull',
          { id: project.id, mode: pull?.mode ?? 'merge', dirty: pull?.dirty ?? 'commit', onConflict: 'keep' });
        return;
      case 'Open Conflicting Files':
        await openFiles(c, project, files);
        return;
      default:
        return;
    }
  });
}

/** Opens each conflicting file in the merge editor; a failure is told, not thrown. */
export async function openFiles(c: SyncContext, project: Project, files: string[]): Promise<OpenedFile[]> {
  try {
    return await openConflictingFiles(c.session, c.conflictSides, project, files, c.log);
  } catch (e) {
    // Not awaited: the command answers (and a notification waits for the user, or for nobody).
    const reason = e instanceof Error ? e.message : String(e);
    c.log.warn(`sync: could not open the conflicting files of ${project.id}: ${reason}`);
    offerLog(c.notices.raise('failed', 'error', project.id,
      `Hangar: could not open the conflicting files of "${project.name}": ${reason}`, ['Show Log'] as const));
    return [];
  }
}

/** A failed import, however it started: the reason, Retry Import, and Set GitHub Token when it is about a token. */
export function reportImportFailure(notices: Notices, project: Pick<Project, 'id' | 'name'>, result: SyncResult): void {
  const notice = importFailedNotice(project.name, result);
  void notices.raise('failed', 'error', project.id, notice.message, notice.items).then(async (c) => {
    if (c === 'Retry Import') await vscode.commands.executeCommand('hangar.retryImport', { id: project.id });
    if (c === 'Show Log') await vscode.commands.executeCommand('hangar.showLog');
    if (c === 'Set GitHub Token') {
      const host = hostOfTokenMessage(result.message);
      if (await vscode.commands.executeCommand('hangar.setGithubToken', host ? { host } : undefined)) {
        await vscode.commands.executeCommand('hangar.retryImport', { id: project.id });
      }
    }
  });
}
