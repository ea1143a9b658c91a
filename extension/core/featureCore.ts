import type * as vscode from 'vscode';
import type { ActivityFeature } from '../activity/activityFeature';
import type { AgentFilesFeature } from '../agentFiles/agentFilesFeature';
import type { ChatFeature } from '../chat/chatFeature';
import type { ConnectionFeature } from '../connection/connectionFeature';
import type { DesktopFeature } from '../desktop/desktopFeature';
import type { ProjectsFeature } from '../projects/projectsFeature';
import type { ProvidersFeature } from '../providers/providersFeature';
import type { SettingsFeature } from '../settings/settingsFeature';
import type { SyncFeature } from '../sync/syncFeature';
import type { ViewId } from './feature';
import type { Fetch } from './fetchTypes';
import type { HangarSession } from './hangarSession';
import type { Logger } from './ports';
import type { OfflineCache } from './store/offlineCache';
import type { SecretRegistry } from './redact';
import type { UriRouter } from './uriRouter';

/** Each feature's object, by id: what one feature may ask of another. */
export interface FeatureTypes {
  connection: ConnectionFeature;
  projects: ProjectsFeature;
  chat: ChatFeature;
  providers: ProvidersFeature;
  sync: SyncFeature;
  activity: ActivityFeature;
  desktop: DesktopFeature;
  agentFiles: AgentFilesFeature;
  settings: SettingsFeature;
}

/** What activation builds without loading any feature: cheap, no network, no zod. */
export interface Shell {
  context: vscode.ExtensionContext;
  channel: vscode.LogOutputChannel;
  log: Logger;
  secretRegistry: SecretRegistry;
  fetch: Fetch;
  /** The extension's one URI handler: features register the paths they answer. */
  uriRouter: UriRouter;
  /** How long activate() took, for diagnostics. */
  activation: { ms: number | undefined };
}

/** The shell plus the session (API client, store, event stream): what every feature is built with. */
export interface FeatureCore extends Shell {
  session: HangarSession;
  /** The offline store of the current server: what each view shows while the server cannot be reached. */
  offline: OfflineCache;
  /** The TreeView of a view the feature owns (created at activation); its rows come from `provider` from now on. */
  treeView<T>(id: ViewId, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
  /** Another feature, loading it first if needed. */
  feature<K extends keyof FeatureTypes>(id: K): Promise<FeatureTypes[K]>;
  /** Another feature if it has loaded already (an optional collaboration never loads it). */
  loaded<K extends keyof FeatureTypes>(id: K): FeatureTypes[K] | undefined;
}
