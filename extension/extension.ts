import * as vscode from 'vscode';
import { connectionCommands } from './commands/connectionCommands';
import { internalCommands } from './commands/internalCommands';
import { localServerCommands } from './commands/localServerCommands';
import { projectCommands } from './commands/projectCommands';
import { projectDetailsCommands } from './commands/projectDetailsCommands';
import type { Services } from './commands/services';
import { registerCommands } from './commandRegistry';
import { ConnectionStatusBar } from './connectionStatusBar';
import type { ConnectionState } from './connectionState';
import type { Fetch } from './fetchTypes';
import { HangarSession } from './hangarSession';
import { findServerFolder, localTokenPath, readLocalToken } from './localServer';
import { isLoopbackUrl } from './serverUrl';
import { channelLogger } from './log';
import { ProjectDetailsPanels } from './panels/projectDetailsPanel';
import type { Logger } from './ports';
import { SecretRegistry } from './redact';
import { settings } from './settings';
import { showError } from './userErrors';
import { ProjectsTreeProvider } from './views/projectsTree';
import { TiersTreeProvider } from './views/tiersTree';

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
  const projectPanels = new ProjectDetailsPanels({ session, extensionUri: context.extensionUri, log });

  const services: Services = {
    context, session, log, channel, fetch, projectsTree, tiersTree, activation,
    statusBarText: () => statusBar.text, projectPanels,
  };
  const connection = connectionCommands(services);
  const handlers = {
    ...connection,
    ...projectCommands(services),
    ...projectDetailsCommands(services),
    ...localServerCommands(services, async (args) => connection['hangar.connect'](args)),
    ...internalCommands(services),
  };

  context.subscriptions.push(
    channel, session, projectsTree, tiersTree, statusBar, projectsView, tiersView, projectPanels,
    ...registerCommands(handlers, log, (id, e) => void showError(`Hangar: ${id} failed`, e)),
    session.onDidChangeState((s) => {
      setContext('hangar.connected', s.kind !== 'disconnected' && s.kind !== 'unauthorised');
      projectsView.message = tiersView.message = staleMessage(s);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hangar.localServer.path')) updateCanStartLocalServer(context, log);
    }),
  );

  activation.ms = performance.now() - started;
  log.info(`activated in ${activation.ms.toFixed(1)} ms`);
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
