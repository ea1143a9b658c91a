import type { Uri } from 'vscode';
import type { McpConfig, ProjectCreate } from '../../backend/contract';

/** A file of a project's workspace (hangar://<projectId>/<path>): the Agent node's files, or code and tests. */
export interface AgentFileArgs { projectId: string; path?: string }
export interface NewAgentFileArgs { projectId: string; kind?: 'agentsMd' | 'agent' | 'command' | 'tool' | 'plugin'; name?: string }
export interface RenameAgentFileArgs { projectId: string; path: string; newName?: string }
export interface DeleteAgentFileArgs { projectId: string; path: string; confirm?: boolean }
export interface McpServerArgs { projectId: string; name: string }
export interface AddMcpServerArgs { projectId: string; name?: string; config?: McpConfig }
/** Arguments a command accepts when called from code or tests (the UI is skipped when they are given). */
export interface ConnectArgs { url?: string; token?: string }
export interface CreateProjectArgs { name: string; tierId?: string; providerOverride?: string | null; repository?: ProjectCreate['repository']; runtime?: ProjectCreate['runtime'] }
export interface DeleteProjectArgs { id: string; confirm?: boolean; deleteVolumes?: boolean }
/** A container action from code or tests; `confirm: true` skips the deploy confirmation. */
export interface ContainerActionArgs { id: string; confirm?: boolean }
/** Change Tier… / Move to Runtime… from code: the project, the target (else a pick), `confirm` skips the preview. */
export interface RedeployArgs { id: string; tierId?: string; runtime?: 'local' | 'docker' | 'coolify'; confirm?: boolean }
/** A projects-tree row, as VS Code passes it to a context-menu command. */
export interface ProjectRowArg { projectId: string }
export interface OpenProjectDetailsArgs { id: string }
/** Open a desktop-tier project's screen (Desktop panel) from code or tests. */
export interface OpenDesktopArgs { id: string }
/** An agent session of a project (the Activity view's rows, notifications). */
export interface OpenSessionArgs { projectId: string; sessionId: string }
/** Configure the outgoing notification webhook without UI; `remove: true` deletes it. */
export interface ConfigureNotificationWebhookArgs { url?: string; secret?: string | null; kinds?: Array<'done' | 'failed' | 'needs-approval'>; remove?: boolean }
/** `sessionId`: open the chat at that session (hangar.openSession). */
export interface OpenChatArgs { id: string; sessionId?: string }
/** "Use in Chat" / "Copy Path" from code or tests: a workspace-relative path (and line range) for a project. */
export interface UseInChatArgs { projectId?: string; path: string; range?: { start: number; end: number } }
/** Configure a provider without UI: the key goes straight to the API. */
/**
 * Configure a provider from code or a Providers row: with `key` no UI is shown; `method` picks the
 * sign-in without asking (api key, GitHub device flow, browser redirect).
 */
export interface ConfigureProviderArgs { providerId: string; key?: string; method?: 'api' | 'oauth-device' | 'oauth-redirect' }
/** A Providers row or code; without it a configured provider is picked. */
export interface TestProviderConnectionArgs { providerId: string }
/** A custom OpenAI-compatible provider without UI; `models` like "llama3:8b=8192/2048, qwen=32768". */
export interface AddCustomProviderArgs { name: string; baseURL: string; apiKey?: string; models: string; id?: string }
/** A project's provider/model override; `providerId: null` = the user's default. */
export interface SetProjectModelArgs { id: string; providerId?: string | null; modelId?: string | null }
/** Without `modelId` the model is picked in a quick pick. */
export interface SetDefaultProviderArgs { providerId: string; modelId?: string }
/** A Providers row, or code/tests; `confirm: true` skips the confirmation. */
export interface RemoveProviderCredentialArgs { providerId: string; confirm?: boolean }
/** A sync command from code or tests: `{id}` or a tree row; without either, the focused project. */
export interface SyncArgs { id?: string; projectId?: string }
/** `confirm: true` skips the force-push confirmation. */
export interface ForcePushArgs extends SyncArgs { confirm?: boolean }
/** Given values skip their questions (settings `hangar.sync.pullMode` / `hangar.sync.dirtyChanges` otherwise). */
export interface PullArgs extends SyncArgs { mode?: 'merge' | 'rebase'; dirty?: 'commit' | 'stash'; onConflict?: 'abort' | 'keep' }
/** Without `token` a password input box asks for it. */
export interface SetGithubTokenArgs { token?: string; host?: string }
export interface ImportFromGithubArgs { url: string; branch?: string; name?: string; tierId?: string }

/** Export without UI: `to` the file, `passphrase` when `includeSecrets`. */
export interface ExportSettingsArgs { to?: string; includeSecrets?: boolean; passphrase?: string }
/** Import without UI: `confirm: true` skips the preview's question. */
export interface ImportSettingsArgs { from?: string; passphrase?: string; confirm?: boolean }

/**
 * Every command the extension registers, with its arguments. A missing handler is a compile error in
 * the registry; the unit test checks this list against package.json.
 */
export interface CommandSignatures {
  'hangar.connect': (args?: ConnectArgs) => unknown;
  'hangar.disconnect': () => unknown;
  'hangar.testConnection': () => unknown;
  'hangar.refresh': () => unknown;
  'hangar.loadMoreProjects': () => unknown;
  'hangar.createProject': (args?: CreateProjectArgs) => unknown;
  'hangar.deleteProject': (args?: DeleteProjectArgs | ProjectRowArg) => unknown;
  'hangar.startLocalServer': () => unknown;
  'hangar.showLog': () => unknown;
  'hangar.openProjectDetails': (args?: OpenProjectDetailsArgs | ProjectRowArg) => unknown;
  'hangar.deployContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.forceDeployContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.retryDeploy': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.startContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.stopContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.restartContainer': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.changeTier': (args?: RedeployArgs | ProjectRowArg) => unknown;
  'hangar.moveToRuntime': (args?: RedeployArgs | ProjectRowArg) => unknown;
  'hangar.showContainerLogs': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.copyAgentUrl': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.cancelQueuedAction': (args?: ContainerActionArgs | ProjectRowArg) => unknown;
  'hangar.openSession': (args?: OpenSessionArgs) => unknown;
  'hangar.configureNotificationWebhook': (args?: ConfigureNotificationWebhookArgs) => unknown;
  'hangar.showNotificationDeliveries': () => unknown;
  'hangar.openChat': (args?: OpenChatArgs | ProjectRowArg) => unknown;
  'hangar.useInChat': (arg?: UseInChatArgs | Uri, all?: Uri[]) => unknown;
  'hangar.copyAgentPath': (arg?: UseInChatArgs | Uri) => unknown;
  'hangar.configureProvider': (args?: ConfigureProviderArgs) => unknown;
  'hangar.setDefaultProvider': (args?: SetDefaultProviderArgs) => unknown;
  'hangar.removeProviderCredential': (args?: RemoveProviderCredentialArgs) => unknown;
  'hangar.testProviderConnection': (args?: TestProviderConnectionArgs) => unknown;
  'hangar.addCustomProvider': (args?: AddCustomProviderArgs) => unknown;
  'hangar.setProjectModel': (args?: SetProjectModelArgs | ProjectRowArg) => unknown;
  'hangar.push': (args?: SyncArgs) => unknown;
  'hangar.pull': (args?: PullArgs) => unknown;
  'hangar.fetch': (args?: SyncArgs) => unknown;
  'hangar.forcePush': (args?: ForcePushArgs) => unknown;
  'hangar.showCommits': (args?: SyncArgs) => unknown;
  'hangar.openOnGithub': (args?: SyncArgs) => unknown;
  'hangar.openConflicts': (args?: SyncArgs) => unknown;
  'hangar.syncMenu': (args?: SyncArgs) => unknown;
  'hangar.setGithubToken': (args?: SetGithubTokenArgs) => unknown;
  'hangar.importFromGithub': (args?: ImportFromGithubArgs) => unknown;
  'hangar.retryImport': (args?: SyncArgs) => unknown;
  'hangar.openDesktop': (args?: OpenDesktopArgs | ProjectRowArg) => unknown;
  'hangar.agentFiles.open': (args?: AgentFileArgs) => unknown;
  'hangar.agentFiles.new': (args?: NewAgentFileArgs) => unknown;
  'hangar.agentFiles.rename': (args?: RenameAgentFileArgs) => unknown;
  'hangar.agentFiles.delete': (args?: DeleteAgentFileArgs) => unknown;
  'hangar.agentFiles.addMcpServer': (args?: AddMcpServerArgs) => unknown;
  'hangar.agentFiles.removeMcpServer': (args?: McpServerArgs) => unknown;
  'hangar.agentFiles.connectMcpServer': (args?: McpServerArgs) => unknown;
  'hangar.agentFiles.disconnectMcpServer': (args?: McpServerArgs) => unknown;
  'hangar.openSettings': () => unknown;
  'hangar.exportSettings': (args?: ExportSettingsArgs) => unknown;
  'hangar.importSettings': (args?: ImportSettingsArgs) => unknown;
}

export type CommandId = keyof CommandSignatures;

/** The ids at run time; `satisfies` makes a missing or extra id a compile error. */
export const COMMAND_IDS = Object.keys({
  'hangar.connect': true,
  'hangar.disconnect': true,
  'hangar.testConnection': true,
  'hangar.refresh': true,
  'hangar.loadMoreProjects': true,
  'hangar.createProject': true,
  'hangar.deleteProject': true,
  'hangar.startLocalServer': true,
  'hangar.showLog': true,
  'hangar.openProjectDetails': true,
  'hangar.deployContainer': true,
  'hangar.forceDeployContainer': true,
  'hangar.retryDeploy': true,
  'hangar.startContainer': true,
  'hangar.stopContainer': true,
  'hangar.restartContainer': true,
  'hangar.changeTier': true,
  'hangar.moveToRuntime': true,
  'hangar.showContainerLogs': true,
  'hangar.copyAgentUrl': true,
  'hangar.cancelQueuedAction': true,
  'hangar.openSession': true,
  'hangar.configureNotificationWebhook': true,
  'hangar.showNotificationDeliveries': true,
  'hangar.openChat': true,
  'hangar.useInChat': true,
  'hangar.copyAgentPath': true,
  'hangar.configureProvider': true,
  'hangar.setDefaultProvider': true,
  'hangar.removeProviderCredential': true,
  'hangar.testProviderConnection': true,
  'hangar.addCustomProvider': true,
  'hangar.setProjectModel': true,
  'hangar.push': true,
  'hangar.pull': true,
  'hangar.fetch': true,
  'hangar.forcePush': true,
  'hangar.showCommits': true,
  'hangar.openOnGithub': true,
  'hangar.openConflicts': true,
  'hangar.syncMenu': true,
  'hangar.setGithubToken': true,
  'hangar.importFromGithub': true,
  'hangar.retryImport': true,
  'hangar.openDesktop': true,
  'hangar.agentFiles.open': true,
  'hangar.agentFiles.new': true,
  'hangar.agentFiles.rename': true,
  'hangar.agentFiles.delete': true,
  'hangar.agentFiles.addMcpServer': true,
  'hangar.agentFiles.removeMcpServer': true,
  'hangar.agentFiles.connectMcpServer': true,
  'hangar.agentFiles.disconnectMcpServer': true,
  'hangar.openSettings': true,
  'hangar.exportSettings': true,
  'hangar.importSettings': true,
} satisfies Record<CommandId, true>) as CommandId[];

/** Context keys the extension sets (used in package.json `when` clauses). */
export const CONTEXT_KEYS = ['hangar.connected', 'hangar.online', 'hangar.canStartLocalServer'] as const;

export const VIEW_IDS = { projects: 'hangar.projects', tiers: 'hangar.tiers', activity: 'hangar.activity', providers: 'hangar.providers' } as const;
