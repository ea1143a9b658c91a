import type { ProjectCreate } from '../backend/contract';

/** Arguments a command accepts when called from code or tests (the UI is skipped when they are given). */
export interface ConnectArgs { url?: string; token?: string }
export interface CreateProjectArgs { name: string; tierId?: string; providerOverride?: string | null; repository?: ProjectCreate['repository'] }
export interface DeleteProjectArgs { id: string; confirm?: boolean; deleteVolumes?: boolean }
/** A container action from code or tests; `confirm: true` skips the deploy confirmation. */
export interface ContainerActionArgs { id: string; confirm?: boolean }
/** A projects-tree row, as VS Code passes it to a context-menu command. */
export interface ProjectRowArg { projectId: string }
export interface OpenProjectDetailsArgs { id: string }
/** An agent session of a project (the Activity view's rows, notifications). */
export interface OpenSessionArgs { projectId: string; sessionId: string }
export interface OpenChatArgs { id: string }
/** Configure a provider without UI: the key goes straight to the API. */
export interface ConfigureProviderArgs { providerId: string; key: string }
/** Without `modelId` the model is picked in a quick pick. */
export interface SetDefaultProviderArgs { providerId: string; modelId?: string }
/** A Providers row, or code/tests; `confirm: true` skips the confirmation. */
export interface RemoveProviderCredentialArgs { providerId: string; confirm?: boolean }

/**
 * Every command the extension registers, with its arguments. A missing handler is a compile error in
 * the registry; the unit test checks this list against package.json.
 */
export interface CommandSignatures {
  'hangar.connect': (args?: ConnectArgs) => unknown;
  'hangar.disconnect': () => unknown;
  'hangar.testConnection': () => unknown;
  'hangar.refresh': () => unknown;
  'hangar.createProject': (args?: CreateProjectArgs) => unknown;
  'hangar.deleteProject': (args?: DeleteProjectArgs | ProjectRowArg) => unknown;
  'hangar.startLocalServer': () => unknown;
  'hangar.showLog': () => unknown;
  'hangar.internal.activationTime': () => unknown;
  'hangar.internal.snapshot': () => unknown;
  'hangar.openProjectDetails': (args?: OpenProjectDetailsArgs | ProjectRowArg) => unknown;
  'hangar.internal.projectPanel': (projectId: string) => unknown;
  'hangar.deployContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.forceDeployContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.retryDeploy': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.startContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.stopContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.restartContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.showContainerLogs': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.copyAgentUrl': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.internal.containerLogs': (projectId: string) => unknown;
  'hangar.openSession': (args?: OpenSessionArgs) => unknown;
  'hangar.internal.activity': () => unknown;
  'hangar.openChat': (args?: OpenChatArgs | ProjectRowArg) => unknown;
  'hangar.internal.chat': (args: { projectId: string; inject?: unknown }) => unknown;
  'hangar.configureProvider': (args?: ConfigureProviderArgs) => unknown;
  'hangar.setDefaultProvider': (args?: SetDefaultProviderArgs) => unknown;
  'hangar.removeProviderCredential': (args?: RemoveProviderCredentialArgs) => unknown;
  'hangar.internal.providers': () => unknown;
}

export type CommandId = keyof CommandSignatures;

/** The ids at run time; `satisfies` makes a missing or extra id a compile error. */
export const COMMAND_IDS = Object.keys({
  'hangar.connect': true,
  'hangar.disconnect': true,
  'hangar.testConnection': true,
  'hangar.refresh': true,
  'hangar.createProject': true,
  'hangar.deleteProject': true,
  'hangar.startLocalServer': true,
  'hangar.showLog': true,
  'hangar.internal.activationTime': true,
  'hangar.internal.snapshot': true,
  'hangar.openProjectDetails': true,
  'hangar.internal.projectPanel': true,
  'hangar.deployContainer': true,
  'hangar.forceDeployContainer': true,
  'hangar.retryDeploy': true,
  'hangar.startContainer': true,
  'hangar.stopContainer': true,
  'hangar.restartContainer': true,
  'hangar.showContainerLogs': true,
  'hangar.copyAgentUrl': true,
  'hangar.internal.containerLogs': true,
  'hangar.openSession': true,
  'hangar.internal.activity': true,
  'hangar.openChat': true,
  'hangar.internal.chat': true,
  'hangar.configureProvider': true,
  'hangar.setDefaultProvider': true,
  'hangar.removeProviderCredential': true,
  'hangar.internal.providers': true,
} satisfies Record<CommandId, true>) as CommandId[];

/** Context keys the extension sets (used in package.json `when` clauses). */
export const CONTEXT_KEYS = ['hangar.connected', 'hangar.canStartLocalServer'] as const;

export const VIEW_IDS = { projects: 'hangar.projects', tiers: 'hangar.tiers', activity: 'hangar.activity', providers: 'hangar.providers' } as const;
