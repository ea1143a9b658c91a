import * as vscode from 'vscode';
import type { Operation, Project } from '../../backend/contract';
import { operationDone, operationTitle } from './containerActions';
import { progressMessage } from './operationTracker';
import { showError } from '../core/userErrors';
import type { Services } from './projectServices';

export interface ProgressActions {
  showLogs(): unknown;
  retry(): unknown;
}

/**
 * The notification of one running operation: its latest step as the message, Cancel where the server can
 * cancel, and the outcome (an error with Show Container Logs and Retry when it failed). Resolves with the last copy.
 */
export async function showOperationProgress(s: Services, project: Project, accepted: Operation, actions: ProgressActions): Promise<Operation> {
  const title = `${operationTitle(accepted.kind, accepted.force)} "${project.name}"`;
  const final = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: accepted.cancellable },
    async (progress, token) => {
      let shown = '';
      const report = (op: Operation) => {
        const message = progressMessage(op);
        if (message !== shown) progress.report({ message });
        shown = message;
      };
      const followed = s.tracker.follow(accepted, report);
      report(s.tracker.latest(accepted.id) ?? accepted);
      const cancel = token.onCancellationRequested(() => void requestCancel(s, project, accepted.id));
      try {
        return await followed.done;
      } finally {
        cancel.dispose();
        followed.dispose();
      }
    });
  s.log.info(`operation ${final.id} (${final.kind}${final.force ? ', force' : ''}) on ${project.id}: ${final.state}${final.error ? `: ${final.error}` : ''}`);
  await reconcile(s, project.id);
  switch (final.state) {
    case 'succeeded':
      void vscode.window.setStatusBarMessage(`$(check) Hangar: "${project.name}" ${operationDone(final.kind, final.force)}`, 5000);
      if (final.kind === 'deploy') void vscode.window.showInformationMessage(`Hangar: "${project.name}" ${operationDone(final.kind, final.force)}.`);
      break;
    case 'cancelled':
      void vscode.window.showInformationMessage(`Hangar: ${operationTitle(final.kind, final.force).toLowerCase()} "${project.name}" was cancelled.`);
      break;
    default:
      void showError(`${operationTitle(final.kind, final.force)} "${project.name}" failed`,
        new Error(final.error ?? final.steps.at(-1)?.message ?? 'no reason given'),
        { 'Show Container Logs': actions.showLogs, Retry: actions.retry });
  }
  return final;
}

async function requestCancel(s: Services, project: Project, operationId: string): Promise<void> {
  const latest = s.tracker.latest(operationId);
  if (latest && !latest.cancellable) {
    void vscode.window.showInformationMessage(`Hangar: this step of "${project.name}" can no longer be cancelled; it finishes on its own.`);
    return;
  }
  try {
    await s.session.api.cancelOperation(project.id, operationId);
    s.log.info(`asked to cancel operation ${operationId} on ${project.id}`);
  } catch (e) {
    void showError(`Could not cancel the operation on "${project.name}"`, e);
  }
}

/**
 * After an operation the project's status comes by event; if the tree still shows a transitional status
 * (an event lost in a reconnect), ask the server.
 */
async function reconcile(s: Services, projectId: string): Promise<void> {
  const status = s.session.store.project(projectId)?.status;
  if (status !== 'deploying' && status !== 'starting' && status !== 'stopping') return;
  try {
    s.session.store.upsertProject(await s.session.api.project(projectId));
  } catch (e) {
    s.log.warn(`could not refetch project ${projectId} after its operation: ${e instanceof Error ? e.message : String(e)}`);
  }
}
