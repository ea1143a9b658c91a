import type * as vscode from 'vscode';
import type { Fetch } from './fetchTypes';
import type { HangarSession } from './hangarSession';
import type { OperationTracker } from '../projects/operationTracker';
import type { ProjectDetailsPanels } from '../projects/projectDetailsPanel';
import type { Logger } from './ports';
import type { LogTerminals } from '../projects/logTerminals';
import type { ProjectsTreeProvider } from '../projects/projectsTree';
import type { TiersTreeProvider } from '../projects/tiersTree';
import type { UriRouter } from './uriRouter';

/** What command handlers may use: the composition root builds it once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  session: HangarSession;
  log: Logger;
  channel: vscode.LogOutputChannel;
  fetch: Fetch;
  projectsTree: ProjectsTreeProvider;
  tiersTree: TiersTreeProvider;
  statusBarText(): string;
  activation: { ms: number | undefined };
  /** The extension's single URI handler: register a path for deep links and OAuth redirects. */
  uriRouter: UriRouter;
  projectPanels: ProjectDetailsPanels;
  tracker: OperationTracker;
  logs: LogTerminals;
  /** The backstop poll, for diagnostics. */
  autoRefreshScheduled(): boolean;
}
