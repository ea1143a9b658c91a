import type * as vscode from 'vscode';
import type { Fetch } from '../core/fetchTypes';
import type { HangarSession } from '../core/hangarSession';
import type { OperationTracker } from './operationTracker';
import type { ProjectDetailsPanels } from './projectDetailsPanel';
import type { Logger } from '../core/ports';
import type { LogTerminals } from './logTerminals';
import type { ProjectsTreeProvider } from './projectsTree';
import type { TiersTreeProvider } from './tiersTree';
import type { QueuedActions } from './queuedActions';
import type { UriRouter } from '../core/uriRouter';

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
  /** Start/Stop queued while offline (issue #14). */
  queued: QueuedActions;
  /** The backstop poll, for diagnostics. */
  autoRefreshScheduled(): boolean;
}
