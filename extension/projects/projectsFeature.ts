import * as vscode from 'vscode';
import type { ConnectionState } from '../connection/connectionState';
import { VIEW_IDS } from '../core/commandIds';
import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import { settings } from '../core/settings';
import { AutoRefresh } from './autoRefresh';
import { containerCommands } from './containerCommands';
import { redeployCommands } from './redeployCommands';
import { LogTerminals } from './logTerminals';
import { OperationTracker } from './operationTracker';
import { projectCommands } from './projectCommands';
import { projectDetailsCommands } from './projectDetailsCommands';
import { ProjectDetailsPanels } from './projectDetailsPanel';
import type { PROJECTS_COMMANDS } from './projectsManifest';
import type { Services } from './projectServices';
import { ProjectsTreeProvider } from './projectsTree';
import { TiersTreeProvider } from './tiersTree';
import { queuedActionCommands, reportSettled } from './queuedActionCommands';
import { hostQueuedActions } from './queuedActionsHost';
import { GapNotes, gapMessage } from './gapNotes';

/** The Projects and Tiers views, a project's details panel, the project and container commands. */
export interface ProjectsFeature extends Feature<(typeof PROJECTS_COMMANDS)[number]> {
  readonly id: 'projects';
  readonly projectsTree: ProjectsTreeProvider;
  /** Project rows and, below them, the Agent nodes (extension/agentFiles): both carry projectId. */
  readonly projectsView: vscode.TreeView<vscode.TreeItem & { projectId?: string }>;
  readonly tracker: OperationTracker;
  readonly panels: ProjectDetailsPanels;
  /** What its commands use (the trees, the logs, the backstop poll). */
  readonly services: Services;
}

export async function createProjectsFeature(core: FeatureCore): Promise<ProjectsFeature> {
  const { session, log, context } = core;
  const projectsTree = new ProjectsTreeProvider(session);
  const tiersTree = new TiersTreeProvider(session);
  const projectsView = core.treeView(VIEW_IDS.projects, projectsTree);
  const tiersView = core.treeView(VIEW_IDS.tiers, tiersTree);
  const panels = new ProjectDetailsPanels({ session, extensionUri: context.extensionUri, log });
  const tracker = new OperationTracker({
    fetchOperation: async (projectId, opId) => (await session.api.operations(projectId)).find((o) => o.id === opId),
    onLog: (m) => log.warn(m),
  });
  const logs = new LogTerminals(session, log);
  const autoRefresh = new AutoRefresh({
    refresh: async () => {
      if (session.state.kind !== 'connected') return;
      log.debug('auto-refresh: polling projects (backstop of the event stream)');
      await session.refresh();
    },
  });
  autoRefresh.setInterval(settings.autoRefreshInterval());
  autoRefresh.setVisible(projectsView.visible);
  // Each project row shows its agent's state: the activity feature knows it.
  const activity = await core.feature('activity');
  projectsTree.setAgentSource({
    agentState: (id) => activity.agentState(id),
    onDidChange: (l) => activity.model.onDidChange(l),
  });

  // Start/Stop queued while offline (issue #14): sent by themselves once the server answers.
  let settledHandler: Parameters<typeof hostQueuedActions>[3] = () => undefined;
  const outbox = hostQueuedActions(context, session, log, (r) => settledHandler(r));
  projectsTree.setQueuedSource(outbox.queued);
  // Issue #14: what changed on the server while offline is told, not silently replaced.
  const gapNotes = new GapNotes();
  projectsTree.setGapSource(gapNotes);
  const gapSubscription = session.gaps.onDidFind((conflicts) => {
    gapNotes.add(conflicts);
    log.info(gapMessage(conflicts));
    void vscode.window.showWarningMessage(gapMessage(conflicts), 'OK')
      .then(() => gapNotes.clear(conflicts.map((c) => c.project.id)));
  });
  const services: Services = {
    ...core, projectsTree, tiersTree, projectPanels: panels, tracker, logs, queued: outbox.queued,
    statusBarText: () => core.loaded('connection')?.statusBarText() ?? '',
    autoRefreshScheduled: () => autoRefresh.isScheduled,
  };
  settledHandler = (r) => reportSettled(services, r);
  let lastLoad: number | undefined;
  const showState = (s: ConnectionState) => {
    if (s.kind === 'disconnected' || s.kind === 'unauthorised') logs.closeAll();
    projectsView.message = tiersView.message = staleMessage(s);
  };
  showState(session.state);
  const disposables: vscode.Disposable[] = [
    projectsTree, tiersTree, panels, tracker, logs, autoRefresh, ...outbox.disposables, gapSubscription,
    session.onDidReceiveEvent((e) => tracker.onEvent(e)),
    projectsView.onDidChangeVisibility((e) => autoRefresh.setVisible(e.visible)),
    session.store.onDidChange(() => {
      // Any full fetch (connect, reconnect, Refresh) restarts the backstop's clock.
      const load = session.store.projectsLoad;
      if (load.kind === 'loaded' && load.at !== lastLoad) {
        lastLoad = load.at;
        autoRefresh.noteRefreshed();
      }
    }),
    session.onDidChangeState(showState),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hangar.autoRefreshInterval')) autoRefresh.setInterval(settings.autoRefreshInterval());
    }),
  ];
  return {
    id: 'projects',
    commands: {
      ...projectCommands(services),
      ...projectDetailsCommands(services),
      ...containerCommands(services),
      ...redeployCommands(services),
      ...queuedActionCommands(services),
    },
    disposables,
    projectsTree,
    projectsView,
    tracker,
    panels,
    services,
  };
}

function staleMessage(s: ConnectionState): string | undefined {
  switch (s.kind) {
    case 'offline': return `Offline: showing the last known state. ${s.reason}`;
    case 'connecting': return s.reconnecting ? 'Reconnecting…' : undefined;
    default: return undefined;
  }
}
