import path from 'node:path';
import * as vscode from 'vscode';
import type { CommandHandlers } from '../core/commandRegistry';
import { findServerFolder, LocalServerError, startLocalServer } from './localServer';
import { DEFAULT_SERVER_URL, isLoopbackUrl, portOf } from '../core/serverUrl';
import { settings } from '../core/settings';
import { showError } from '../core/userErrors';
import type { FeatureCore } from '../core/featureCore';

export function localServerCommands(
  s: Pick<FeatureCore, 'context' | 'fetch' | 'log'>,
  connect: (args: { url: string }) => Promise<unknown>,
): Pick<CommandHandlers, 'hangar.startLocalServer'> {
  async function start(): Promise<unknown> {
    const folder = findServerFolder(s.context.extensionPath, settings.localServerPath());
    if (!folder) {
      const pick = await vscode.window.showErrorMessage(
        'Hangar: no server checkout found. Set "hangar.localServer.path" to a Hangar checkout that has been built '
          + '(npm install, then node esbuild.mjs).',
        'Open Settings');
      if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'hangar.localServer.path');
      return undefined;
    }
    const configured = settings.serverUrl();
    const url = configured && isLoopbackUrl(configured) ? configured : DEFAULT_SERVER_URL;
    const logFile = path.join(s.context.logUri.fsPath, 'local-server.log');
    try {
      const started = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local Hangar server…' },
        () => startLocalServer({
          folder, nodePath: settings.nodePath(), host: '127.0.0.1', port: portOf(url), logFile, fetch: s.fetch,
        }));
      s.log.info(started.alreadyRunning
        ? `a server already answers at ${started.url}; using it`
        : `started the local server (pid ${started.pid}, node ${started.nodeVersion}) from ${folder}; `
          + `output in ${logFile}`);
      return await connect({ url: started.url });
    } catch (e) {
      const actions: Record<string, () => unknown> = {};
      if (e instanceof LocalServerError && (e.kind === 'node_missing' || e.kind === 'node_too_old')) {
        actions['Open Settings'] = () => vscode.commands.executeCommand(
          'workbench.action.openSettings', 'hangar.nodePath');
      } else {
        actions['Open Server Log'] = () => vscode.window.showTextDocument(vscode.Uri.file(logFile));
      }
      await showError('Could not start the local Hangar server', e, actions);
      return undefined;
    }
  }
  return { 'hangar.startLocalServer': start };
}
