import * as vscode from 'vscode';
import type { Operation, Project, SyncResult } from '../../backend/contract';
import { ApiError, operationInProgress } from '../core/apiError';
import { showError } from '../core/userErrors';
import { progressMessage } from '../projects/operationTracker';
import type { SyncContext } from './syncContext';

/** What push/pull/fetch return to code and tests once the operation finished. */
export interface SyncOutcome {
  operation: Pick<Operation, 'id' | 'kind' | 'state' | 'error'>;
  result: SyncResult | undefined;
}

/** A sync.result follows its operation.finished closely; wait this long for it before using the operation alone. */
const RESULT_GRACE_MS = 5_000;

/** POSTs the operation, follows it in a progress notification, then waits for its sync.result. */
export async function runSyncOperation(
  c: SyncContext, project: Project, title: string, start: () => Promise<Operation>,
): Promise<SyncOutcome | undefined> {
  const accepted = await startOperation(c, project, title, start);
  if (!accepted) return undefined;
  c.ownOperations.add(accepted.id);
  const what = `${accepted.kind}${accepted.force ? ', force' : ''}`;
  c.log.info(`sync: operation ${accepted.id} (${what}) accepted for ${project.id}`);
  const waiter = c.model.waitForResult(accepted.id);
  try {
    const final = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${title} "${project.name}"` },
      async (progress) => {
        let shown = '';
        const followed = c.tracker.follow(accepted, (op) => {
          const message = progressMessage(op);
          if (message !== shown) progress.report({ message });
          shown = message;
        });
        try {
          return await followed.done;
        } finally {
          followed.dispose();
        }
      });
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      waiter.done.then((r) => r.result),
      new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), RESULT_GRACE_MS); }),
    ]);
    clearTimeout(timer);
    const summary = result ? `: ${result.ok ? 'ok' : 'not ok'}: ${result.message}` : ' (no sync.result)';
    c.log.info(`sync: operation ${final.id} ${final.state}${summary}`);
    if (!c.model.status(project.id)?.available || !result) void c.refreshStatus(project.id);
    return { operation: { id: final.id, kind: final.kind, state: final.state, error: final.error }, result };
  } finally {
    waiter.dispose();
  }
}

/** The POST; a refusal is told to the user here (busy, not imported yet, or the error itself). */
async function startOperation(
  c: SyncContext, project: Project, title: string, start: () => Promise<Operation>,
): Promise<Operation | undefined> {
  try {
    return await start();
  } catch (e) {
    const busy = operationInProgress(e);
    if (busy) {
      void c.notices.raise('failed', 'warning', project.id,
        `Hangar: "${project.name}" is busy: a ${busy.kind} is running. Try again when it has finished.`);
    } else if (e instanceof ApiError && e.code === 'not_imported') {
      // Nothing to fetch, pull or push against yet: the way forward is the import.
      void showError(`${title} "${project.name}" failed`, e, {
        'Retry Import': () => vscode.commands.executeCommand('hangar.retryImport', { id: project.id }),
      });
    } else {
      void showError(`${title} "${project.name}" failed`, e);
    }
    return undefined;
  }
}
