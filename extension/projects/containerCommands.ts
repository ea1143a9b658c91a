import * as vscode from 'vscode';
import type { Operation, Project } from '../../backend/contract';
import { ApiError, operationInProgress } from '../core/apiError';
import type { ContainerActionArgs, ProjectRowArg } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { canDo, operationOf, optimisticStatus, type ContainerAction } from './containerActions';
import { isFinished } from './operationTracker';
import { tierResources } from './treeModel';
import { deployDetail } from './deployText';
import { showError } from '../core/userErrors';
import { unsyncedChangesOf } from '../sync/syncMessages';
import { askAboutUnsynced } from '../sync/unsyncedGuard';
import { showOperationProgress } from './operationProgress';
import type { Services } from './projectServices';
import { pickProject, projectIdOf } from './projectPicker';
import type { QueuedAction } from './queuedActions';
import { newIdempotencyKey } from '../core/outbox/outboxIds';

type Handlers = Pick<CommandHandlers,
  | 'hangar.deployContainer' | 'hangar.forceDeployContainer' | 'hangar.retryDeploy' | 'hangar.startContainer'
  | 'hangar.stopContainer' | 'hangar.restartContainer' | 'hangar.showContainerLogs' | 'hangar.copyAgentUrl'>;

type Arg = ContainerActionArgs | ProjectRowArg | undefined;

/**
 * What a container command returns to code and tests: the accepted operation (it keeps running), or,
 * offline, the Start/Stop queued to be sent once the server answers (issue #14).
 */
export type ActionResult = { operation: Operation } | { queued: QueuedAction };

const PICK_TEXT: Record<ContainerAction, { title: string; none: string }> = {
  deploy: { title: 'Deploy Container', none: 'no project can be deployed right now' },
  forceDeploy: { title: 'Force Deploy Container', none: 'no project can be force deployed right now' },
  retry: { title: 'Retry Deploy', none: 'no crashed or failed project to retry' },
  start: { title: 'Start Container', none: 'no stopped or crashed project to start' },
  stop: { title: 'Stop Container', none: 'no running project to stop' },
  restart: { title: 'Restart Container', none: 'no running project to restart' },
  showLogs: { title: 'Show Container Logs', none: 'no deployed project has logs' },
  copyAgentUrl: { title: 'Copy Agent URL', none: 'no project has an agent URL yet' },
  delete: { title: 'Delete Project', none: 'there are no projects to delete' },
};

export function containerCommands(s: Services): Handlers {
  const { session } = s;

  /** The project of a tree row, `{id}` or, from the palette, a quick pick of the projects the action suits. */
  async function resolve(action: ContainerAction, arg: Arg): Promise<Project | undefined> {
    const id = projectIdOf(arg);
    if (id) return session.store.project(id) ?? await session.api.project(id);
    const text = PICK_TEXT[action];
    return pickProject(session, { title: text.title, placeHolder: 'The project', filter: (p) => canDo(p, action), none: text.none, withReason: true });
  }

  async function confirmDeploy(project: Project, force: boolean): Promise<boolean> {
    const tier = session.store.tier(project.tierId) ?? await session.api.tier(project.tierId).catch(() => undefined);
    const tierText = `Tier "${project.tierId}"${tier ? `: ${tierResources(tier)}${tier.hasDesktopAccess ? ', with desktop' : ''}` : ''}.`;
    const model = await session.api.projectModel(project.id).catch(() => undefined);
    const detail = deployDetail({ tierText, runtime: project.runtime, force, running: project.status === 'running', model });
    const button = force ? 'Force Deploy' : 'Deploy';
    const answer = await vscode.window.showWarningMessage(`${button} "${project.name}"?`, { modal: true, detail }, button);
    return answer === button;
  }

  async function run(action: ContainerAction, arg: Arg): Promise<ActionResult | undefined> {
    const project = await resolve(action, arg);
    if (!project) return undefined;
    const op = operationOf(action);
    if (!op) throw new Error(`${action} is not a container operation`);
    const confirmed = arg !== undefined && 'confirm' in arg && arg.confirm === true;
    if (op.kind === 'deploy' && !confirmed && !(await confirmDeploy(project, op.force))) return undefined;
    if (isQueueable(action) && session.state.kind === 'offline') return queue(project, action);
    return start(project, action);
  }

  /** Offline, Start and Stop wait in the outbox (queuedActions.ts) and are sent once the server answers. */
  function queue(project: Project, action: 'start' | 'stop', idempotencyKey?: string): ActionResult {
    const queued = s.queued.add(project, action, idempotencyKey);
    s.log.info(`${action} of ${project.id} queued (key ${queued.idempotencyKey}): the server cannot be reached`);
    void vscode.window.showInformationMessage(
      `Hangar: the server cannot be reached; ${action === 'stop' ? 'Stop' : 'Start'} of "${project.name}" is queued `
      + 'and sent once it answers.', 'Cancel',
    ).then((pick) => { if (pick === 'Cancel') s.queued.cancel(project.id); });
    return { queued };
  }

  /** POST the action, show the transitional status at once, then the progress notification (not awaited). */
  async function start(project: Project, action: ContainerAction, ignoreUnsynced = false): Promise<ActionResult | undefined> {
    const op = operationOf(action)!;
    const version = session.store.statusVersion(project.id);
    // Start/Stop carry a key from the first attempt: queued after a lost answer, the replay runs nothing twice.
    const idempotencyKey = isQueueable(action) ? newIdempotencyKey() : undefined;
    let accepted: Operation;
    try {
      const api = session.api;
      accepted = op.kind === 'deploy' ? await api.deploy(project.id, op.force)
        : op.kind === 'start' ? await api.startProject(project.id, { idempotencyKey })
          : op.kind === 'stop' ? await api.stopProject(project.id, { ignoreUnsynced, idempotencyKey })
            : await api.restartProject(project.id);
    } catch (e) {
      return reportStartFailure(project, action, e, idempotencyKey);
    }
    s.log.info(`operation ${accepted.id} (${accepted.kind}${accepted.force ? ', force' : ''}) accepted for ${project.id}`);
    const transitional = optimisticStatus(accepted.kind);
    const known = s.tracker.latest(accepted.id);
    if (transitional && !(known && isFinished(known))) session.store.showTransitional(project.id, transitional, version);
    void showOperationProgress(s, project, accepted, {
      showLogs: () => s.logs.show(project.id, project.name),
      retry: () => start(session.store.project(project.id) ?? project, action),
    });
    return { operation: accepted };
  }

  async function reportStartFailure(
    project: Project, action: ContainerAction, e: unknown, idempotencyKey?: string,
  ): Promise<ActionResult | undefined> {
    // Stopping with work not on GitHub (issue #6): warn with the list, offer to push first.
    const unsynced = action === 'stop' ? unsyncedChangesOf(e) : undefined;
    if (unsynced) {
      const answer = await askAboutUnsynced(project, 'stop', unsynced);
      return answer === 'cancel' ? undefined : start(session.store.project(project.id) ?? project, action, answer === 'ignore');
    }
    // No answer at all (the network or the API just went away): a Start/Stop waits for it in the outbox.
    if (isQueueable(action) && e instanceof ApiError && e.isNetwork) return queue(project, action, idempotencyKey);
    const busy = operationInProgress(e);
    if (busy) {
      const pick = await vscode.window.showWarningMessage(
        `Hangar: "${project.name}" is busy: a ${busy.kind} is running. Try again when it has finished.`, 'Show Progress', 'Show Container Logs');
      if (pick === 'Show Container Logs') s.logs.show(project.id, project.name);
      if (pick === 'Show Progress') await followRunning(project, busy.operationId);
      return undefined;
    }
    await showError(`Could not ${PICK_TEXT[action].title.toLowerCase()} "${project.name}"`, e, { Retry: () => start(project, action) });
    return undefined;
  }

  async function followRunning(project: Project, operationId: string): Promise<void> {
    const op = s.tracker.latest(operationId) ?? (await session.api.operations(project.id)).find((o) => o.id === operationId);
    if (!op || isFinished(op)) {
      void vscode.window.showInformationMessage(`Hangar: the operation on "${project.name}" has finished.`);
      return;
    }
    void showOperationProgress(s, project, op, {
      showLogs: () => s.logs.show(project.id, project.name),
      retry: () => start(session.store.project(project.id) ?? project, retryAction(op.kind, op.force)),
    });
  }

  return {
    'hangar.deployContainer': (arg) => run('deploy', arg),
    'hangar.forceDeployContainer': (arg) => run('forceDeploy', arg),
    'hangar.retryDeploy': (arg) => run('retry', arg),
    'hangar.startContainer': (arg) => run('start', arg),
    'hangar.stopContainer': (arg) => run('stop', arg),
    'hangar.restartContainer': (arg) => run('restart', arg),
    'hangar.showContainerLogs': async (arg) => {
      const project = await resolve('showLogs', arg);
      if (!project) return false;
      s.logs.show(project.id, project.name);
      return true;
    },
    'hangar.copyAgentUrl': async (arg) => {
      const project = await resolve('copyAgentUrl', arg);
      const url = project?.urls.agent;
      if (!project || !url) {
        if (project) void vscode.window.showInformationMessage(`Hangar: "${project.name}" has no agent URL yet; deploy it first.`);
        return undefined;
      }
      await vscode.env.clipboard.writeText(url);
      void vscode.window.setStatusBarMessage(`$(clippy) Hangar: copied the agent URL of "${project.name}"`, 4000);
      return url;
    },
  };
}

const isQueueable = (action: ContainerAction): action is 'start' | 'stop' => action === 'start' || action === 'stop';

/** The container action that retries a failed operation (sync operations are retried from the Sync menu). */
function retryAction(kind: Operation['kind'], force: boolean): ContainerAction {
  switch (kind) {
    case 'deploy': return force ? 'forceDeploy' : 'deploy';
    case 'start': case 'stop': case 'restart': return kind;
    default: return 'deploy';
  }
}
