import * as vscode from 'vscode';
import { ActivityFeature } from './activity/activityFeature';
import { notificationWebhookCommands } from './activity/notifications/webhookCommands';
import { AutoRefresh } from './projects/autoRefresh';
import { connectionCommands } from './connection/connectionCommands';
import { containerCommands } from './projects/containerCommands';
import { localServerCommands } from './connection/localServerCommands';
import { projectCommands } from './projects/projectCommands';
import { projectDetailsCommands } from './projects/projectDetailsCommands';
import type { Services } from './core/services';
import { registerCommands } from './core/commandRegistry';
import { ConnectionStatusBar } from './connection/connectionStatusBar';
import type { ConnectionState } from './connection/connectionState';
import type { Fetch } from './core/fetchTypes';
import { HangarSession } from './core/hangarSession';
import { findServerFolder, localTokenPath, readLocalToken } from './connection/localServer';
import { isLoopbackUrl } from './core/serverUrl';
import { channelLogger } from './core/log';
import { OperationTracker } from './projects/operationTracker';
import { ProjectDetailsPanels } from './projects/projectDetailsPanel';
import { ChatPanels } from './chat/chatPanel';
import { chatCommands } from './chat/chatCommands';
import { MentionCommands } from './chat/mentions/mentionCommands';
import { WorkspaceFileIndex } from './chat/mentions/workspaceFiles';
import { desktopCommands } from './desktop/desktopCommands';
import { DesktopPanels } from './desktop/desktopPanel';
import { ProvidersFeature } from './providers/providersFeature';
import { SyncFeature } from './sync/syncFeature';
import type { Logger } from './core/ports';
import { SecretRegistry } from './core/redact';
import { settings } from './core/settings';
import { showError } from './core/userErrors';
import { LogTerminals } from './projects/logTerminals';
import { ProjectsTreeProvider } from './projects/projectsTree';
import { TiersTreeProvider } from './projects/tiersTree';
import { UriRouter } from './core/uriRouter';
import { loadTestHooks } from './core/testHooksLoader';

/** The composition root: builds the parts and registers them. No network or disk work before it returns. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Hangar', { log: true });
  const secretRegistry = new SecretRegistry();
  const log = channelLogger(channel, secretRegistry);
  const fetch: Fetch = (url, init) => globalThis.fetch(url, init);
  const session = new HangarSession({
    secrets: {
      get: async (k) => context.secrets.get(k),
      store: async (k, v) => context.secrets.store(k, v),
      delete: async (k) => context.secrets.delete(k),
    },
    fetch,
    log,
    secretRegistry,
    saveServerUrl: settings.saveServerUrl,
  });
  const projectsTree = new ProjectsTreeProvider(session);
  const tiersTree = new TiersTreeProvider(session);
  const statusBar = new ConnectionStatusBar(session);
  const projectsView = vscode.window.createTreeView('hangar.projects', { treeDataProvider: projectsTree });
  const tiersView = vscode.window.createTreeView('hangar.tiers', { treeDataProvider: tiersTree });
  const activation = { ms: undefined as number | undefined };
  // The extension's one URI handler (vscode://<publisher>.<name>/<path>?...): features register paths on it.
  const uriRouter = new UriRouter();
  const projectPanels = new ProjectDetailsPanels({ session, extensionUri: context.extensionUri, log });
  const tracker = new OperationTracker({
    fetchOperation: async (projectId, opId) => (await session.api.operations(projectId)).find((o) => o.id === opId),
    onLog: (m) => log.warn(m),
  });
  const logs = new LogTerminals(session, log);
  const desktopPanels = new DesktopPanels({ session, extensionUri: context.extensionUri, log });
  // @mentions: the workspace's file index is built when the first chat opens, not here.
  const mentionIndex = new WorkspaceFileIndex(log);
  const chatPanels = new ChatPanels({ session, extensionUri: context.extensionUri, log, workspaceState: context.workspaceState, mentions: mentionIndex });
  const mentionCommands = new MentionCommands(session, chatPanels, mentionIndex);
  context.subscriptions.push(mentionIndex, mentionCommands);
  const activity = new ActivityFeature(session, projectPanels, log, {
    uriRouter,
    // A notification is not raised for the session whose chat is the active editor.
    chatInFront: () => Promise.resolve(chatPanels.activeSession()),
  });
  projectsTree.setAgentSource({ agentState: (id) => activity.agentState(id), onDidChange: (l) => activity.model.onDidChange(l) });
  const providers = new ProvidersFeature(session, log, context.logUri.fsPath, uriRouter, context.extension.id);
  const sync = new SyncFeature({ session, log, tracker, secretRegistry, projectsTree, projectsView, chat: chatPanels });
  const autoRefresh = new AutoRefresh({
    refresh: async () => {
      if (session.state.kind !== 'connected') return;
      log.debug('auto-refresh: polling projects (backstop of the event stream)');
      await session.refresh();
    },
  });
  autoRefresh.setInterval(settings.autoRefreshInterval());
  autoRefresh.setVisible(projectsView.visible);
  let lastLoad: number | undefined;

  const services: Services = {
    context, session, log, channel, fetch, projectsTree, tiersTree, activation, uriRouter,
    statusBarText: () => statusBar.text, projectPanels, tracker, logs,
    autoRefreshScheduled: () => autoRefresh.isScheduled,
  };
  const connection = connectionCommands(services);
  const handlers = {
    ...connection,
    ...projectCommands(services),
    ...projectDetailsCommands(services),
    ...containerCommands(services),
    ...localServerCommands(services, async (args) => connection['hangar.connect'](args)),
    'hangar.openSession': (args?: Parameters<typeof activity.openSession>[0]) => activity.openSession(args),
    ...notificationWebhookCommands(session),
    ...chatCommands(session, chatPanels),
    ...mentionCommands.handlers(),
    ...desktopCommands(session, desktopPanels),
    ...providers.handlers(),
    ...sync.handlers(),
  };

  context.subscriptions.push(
    channel, session, projectsTree, tiersTree, statusBar, projectsView, tiersView, projectPanels, chatPanels, desktopPanels, tracker, logs, autoRefresh, activity, providers, sync,
    session.onDidReceiveEvent((e) => tracker.onEvent(e)),
    vscode.window.registerUriHandler({
      handleUri: async (uri) => {
        if (!(await uriRouter.handle(uri.path, uri.query))) log.warn(`no handler for the link ${uri.path}`);
      },
    }),
    projectsView.onDidChangeVisibility((e) => autoRefresh.setVisible(e.visible)),
    session.store.onDidChange(() => {
      // Any full fetch (connect, reconnect, Refresh) restarts the backstop's clock.
      const load = session.store.projectsLoad;
      if (load.kind === 'loaded' && load.at !== lastLoad) {
        lastLoad = load.at;
        autoRefresh.noteRefreshed();
      }
    }),
    ...registerCommands(handlers, log, (id, e) => void showError(`Hangar: ${id} failed`, e)),
    session.onDidChangeState((s) => {
      setContext('hangar.connected', s.kind !== 'disconnected' && s.kind !== 'unauthorised');
      if (s.kind === 'disconnected' || s.kind === 'unauthorised') logs.closeAll();
      projectsView.message = tiersView.message = staleMessage(s);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hangar.localServer.path')) updateCanStartLocalServer(context, log);
      if (e.affectsConfiguration('hangar.autoRefreshInterval')) autoRefresh.setInterval(settings.autoRefreshInterval());
    }),
  );

  activation.ms = performance.now() - started;
  log.info(`activated in ${activation.ms.toFixed(1)} ms`);
  // Development and test windows: the suite's hooks (never in the .vsix), after the activation figure.
  context.subscriptions.push(...loadTestHooks({ ...services, chatPanels, desktopPanels, mentionIndex, activity, providers, sync }));
  // Everything slow happens after activate() returned.
  setTimeout(() => void startup(context, session, log), 0);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

async function startup(context: vscode.ExtensionContext, session: HangarSession, log: Logger): Promise<void> {
  setContext('hangar.connected', false);
  updateCanStartLocalServer(context, log);
  const url = settings.serverUrl();
  if (!url) return;
  try {
    const resumed = await session.resume(url);
    if (resumed) return;
    // A server on this machine whose token file we can read needs no question (see Connect).
    const token = isLoopbackUrl(url) ? await readLocalToken(localTokenPath(settings.explicitLocalTokenFile(), process.env)) : undefined;
    if (token) {
      await session.connect(url, token);
      return;
    }
    log.info(`no stored token for ${url}; use "Hangar: Connect to Server"`);
  } catch (e) {
    log.warn(`could not resume the connection to ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function updateCanStartLocalServer(context: vscode.ExtensionContext, log: Logger): void {
  const folder = findServerFolder(context.extensionPath, settings.localServerPath());
  log.debug(folder ? `a local server can be started from ${folder}` : 'no server checkout: "Start Local Server" is hidden');
  setContext('hangar.canStartLocalServer', folder !== undefined);
}

function setContext(key: 'hangar.connected' | 'hangar.canStartLocalServer', value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

function staleMessage(s: ConnectionState): string | undefined {
  switch (s.kind) {
    case 'offline': return `Offline: showing the last known state. ${s.reason}`;
    case 'connecting': return s.reconnecting ? 'Reconnecting…' : undefined;
    default: return undefined;
  }
}
