import * as vscode from 'vscode';
import type { Feature } from '../core/feature';
import type { CONNECTION_COMMANDS } from './connectionManifest';
import type { FeatureCore } from '../core/featureCore';
import type { Logger } from '../core/ports';
import { isLoopbackUrl } from '../core/serverUrl';
import { settings } from '../core/settings';
import { connectionCommands } from './connectionCommands';
import { ConnectionStatusBar } from './connectionStatusBar';
import { findServerFolder, localTokenPath, readLocalToken } from './localServer';
import { localServerCommands } from './localServerCommands';
import { isOnline } from './onlineGate';

type Command = (typeof CONNECTION_COMMANDS)[number];

/** Connect, disconnect, test, the local server, and the status-bar item that shows where things stand. */
export interface ConnectionFeature extends Feature<Command> {
  readonly id: 'connection';
  /** The status bar item's text, for diagnostics. */
  statusBarText(): string;
}

export function createConnectionFeature(core: FeatureCore): ConnectionFeature {
  const { session, log, context } = core;
  const statusBar = new ConnectionStatusBar(session);
  const connection = connectionCommands(core);
  const disposables: vscode.Disposable[] = [
    statusBar,
    session.onDidChangeState((s) => {
      setContext('hangar.connected', s.kind !== 'disconnected' && s.kind !== 'unauthorised');
      setContext('hangar.online', isOnline(s));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hangar.localServer.path')) updateCanStartLocalServer(context, log);
    }),
    // Coming back to the window is a sign the network may be back: offline, the server is tried at once.
    vscode.window.onDidChangeWindowState((w) => { if (w.focused) session.probeNow(); }),
  ];
  void resume(core);
  return {
    id: 'connection',
    commands: { ...connection, ...localServerCommands(core, async (args) => connection['hangar.connect'](args)) },
    disposables,
    statusBarText: () => statusBar.text,
  };
}

/** A stored token, or a local server's token file, reconnects without a question. */
async function resume({ context, session, log }: FeatureCore): Promise<void> {
  setContext('hangar.connected', false);
  setContext('hangar.online', false);
  updateCanStartLocalServer(context, log);
  const url = settings.serverUrl();
  if (!url) return;
  try {
    const resumed = await session.resume(url);
    if (resumed) return;
    // A server on this machine whose token file we can read needs no question (see Connect).
    const tokenFile = localTokenPath(settings.explicitLocalTokenFile(), process.env);
    const token = isLoopbackUrl(url) ? await readLocalToken(tokenFile) : undefined;
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
  log.debug(folder
    ? `a local server can be started from ${folder}`
    : 'no server checkout: "Start Local Server" is hidden');
  setContext('hangar.canStartLocalServer', folder !== undefined);
}

function setContext(key: 'hangar.connected' | 'hangar.online' | 'hangar.canStartLocalServer', value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
