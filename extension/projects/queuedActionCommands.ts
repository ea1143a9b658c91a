import * as vscode from 'vscode';
import type { CommandHandlers } from '../core/commandRegistry';
import { optimisticStatus } from './containerActions';
import { showOperationProgress } from './operationProgress';
import { projectIdOf } from './projectPicker';
import type { Services } from './projectServices';
import type { Settled } from './queuedActions';

/** "Cancel Queued Action" on a row marked "stop queued", or from the palette with a pick of the queued ones. */
export function queuedActionCommands(s: Services): Pick<CommandHandlers, 'hangar.cancelQueuedAction'> {
  return {
    'hangar.cancelQueuedAction': async (arg) => {
      let projectId = projectIdOf(arg);
      if (!projectId) {
        const picks = s.queued.items
          .filter((a) => s.queued.forProject(a.projectId) === a)
          .map((a) => ({ label: a.projectName, description: `${a.kind} queued`, projectId: a.projectId }));
        if (picks.length === 0) {
          void vscode.window.showInformationMessage('Hangar: no Start or Stop is queued.');
          return false;
        }
        const title = 'Cancel Queued Action';
        const pick = await vscode.window.showQuickPick(picks, { title, placeHolder: 'The project' });
        projectId = pick?.projectId;
        if (!projectId) return false;
      }
      const cancelled = s.queued.cancel(projectId);
      if (!cancelled) {
        void vscode.window.showInformationMessage('Hangar: nothing is queued for this project any more.');
      }
      return cancelled;
    },
  };
}

/**
 * How a queued action ended, told once: sent (the progress notification of its operation follows, as for a
 * Start/Stop made online), or refused by the server for good (the project was deleted, a conflict) with why.
 */
export function reportSettled(s: Services, r: Settled): void {
  const { action } = r;
  const verb = action.kind === 'stop' ? 'Stop' : 'Start';
  if ('error' in r) {
    const again = `${verb} Container`;
    void vscode.window.showWarningMessage(
      `Hangar: the queued ${verb} of "${action.projectName}" was not carried out: ${r.error}`, again,
    ).then((pick) => {
      if (pick !== again) return;
      void vscode.commands.executeCommand(`hangar.${action.kind}Container`, { id: action.projectId });
    });
    return;
  }
  const { store } = s.session;
  const project = store.project(action.projectId);
  const transitional = optimisticStatus(r.operation.kind);
  if (transitional) store.showTransitional(action.projectId, transitional, store.statusVersion(action.projectId));
  if (!project) return;
  void showOperationProgress(s, project, r.operation, {
    showLogs: () => s.logs.show(project.id, project.name),
    retry: () => vscode.commands.executeCommand(`hangar.${action.kind}Container`, { id: project.id }),
  });
}
