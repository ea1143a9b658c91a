import type { OperationKind, Project, ProjectStatus } from '../../backend/contract';

/** What a user can do to a project's container, from the tree, the palette or a notification. */
export type ContainerAction =
  | 'deploy' | 'forceDeploy' | 'retry' | 'start' | 'stop' | 'restart' | 'showLogs' | 'copyAgentUrl' | 'delete';

export const CONTAINER_ACTIONS: readonly ContainerAction[] = [
  'deploy', 'forceDeploy', 'retry', 'start', 'stop', 'restart', 'showLogs', 'copyAgentUrl', 'delete',
];

export const PROJECT_STATUSES: readonly ProjectStatus[] = [
  'not_deployed', 'deploying', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'failed',
];

/** An operation is under way: only watching makes sense (a second action would get 409). */
export const TRANSITIONAL: ReadonlySet<ProjectStatus> = new Set(['deploying', 'starting', 'stopping']);

/**
 * The availability table. Crashed and failed projects offer "Retry" (a deploy) instead of "Deploy", so the
 * menu does not show the same action twice; a crashed container can also simply be started again.
 * Copy Agent URL also needs the project to have an agent URL (see `availableActions`).
 */
const BY_STATUS: Record<ProjectStatus, readonly ContainerAction[]> = {
  not_deployed: ['deploy', 'delete'],
  deploying: ['showLogs'],
  starting: ['showLogs', 'copyAgentUrl'],
  running: ['deploy', 'forceDeploy', 'restart', 'stop', 'showLogs', 'copyAgentUrl', 'delete'],
  stopping: ['showLogs'],
  stopped: ['start', 'deploy', 'forceDeploy', 'showLogs', 'copyAgentUrl', 'delete'],
  crashed: ['start', 'retry', 'forceDeploy', 'showLogs', 'delete'],
  failed: ['retry', 'forceDeploy', 'showLogs', 'delete'],
};

export function actionsFor(status: ProjectStatus, hasAgentUrl: boolean): ContainerAction[] {
  return BY_STATUS[status].filter((a) => a !== 'copyAgentUrl' || hasAgentUrl);
}

export function availableActions(project: Pick<Project, 'status' | 'urls'>): ContainerAction[] {
  return actionsFor(project.status, project.urls.agent !== null);
}

export function canDo(project: Pick<Project, 'status' | 'urls'>, action: ContainerAction): boolean {
  return availableActions(project).includes(action);
}

/**
 * The tree row's contextValue: `project.<status>` plus `.agentUrl` when there is one to copy. The menus in
 * package.json match it with regexes; a unit test checks them against this table for every status.
 */
export function projectContextValue(project: Pick<Project, 'status' | 'urls'>): string {
  return `project.${project.status}${project.urls.agent !== null ? '.agentUrl' : ''}`;
}

/** The API operation an action starts (retry is a deploy; force deploy is a deploy with force). */
export function operationOf(action: ContainerAction): { kind: Exclude<OperationKind, 'delete'>; force: boolean } | undefined {
  switch (action) {
    case 'deploy':
    case 'retry':
      return { kind: 'deploy', force: false };
    case 'forceDeploy':
      return { kind: 'deploy', force: true };
    case 'start':
    case 'stop':
    case 'restart':
      return { kind: action, force: false };
    default:
      return undefined;
  }
}

/** The status the tree shows at once when the server accepted an operation (before its first event). */
export function optimisticStatus(kind: OperationKind): ProjectStatus | undefined {
  switch (kind) {
    case 'deploy': return 'deploying';
    case 'start': return 'starting';
    case 'restart': return 'starting';
    case 'stop': return 'stopping';
    case 'delete': return undefined;
    default: return undefined; // sync operations leave the container as it is
  }
}

/** "Deploying", "Force deploying", ... for notification titles. */
export function operationTitle(kind: OperationKind, force: boolean): string {
  switch (kind) {
    case 'deploy': return force ? 'Force deploying' : 'Deploying';
    case 'start': return 'Starting';
    case 'stop': return 'Stopping';
    case 'restart': return 'Restarting';
    case 'delete': return 'Deleting';
    case 'fetch': return 'Fetching';
    case 'push': return force ? 'Force pushing' : 'Pushing';
    case 'pull': return 'Pulling';
    case 'import': return 'Importing';
  }
}

/** Past tense for the success message. */
export function operationDone(kind: OperationKind, force: boolean): string {
  switch (kind) {
    case 'deploy': return force ? 'force deployed' : 'deployed';
    case 'start': return 'started';
    case 'stop': return 'stopped';
    case 'restart': return 'restarted';
    case 'delete': return 'deleted';
    case 'fetch': return 'fetched';
    case 'push': return force ? 'force pushed' : 'pushed';
    case 'pull': return 'pulled';
    case 'import': return 'imported';
  }
}
