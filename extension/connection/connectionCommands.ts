import * as vscode from 'vscode';
import type { Me } from '../../backend/contract';
import { ApiError } from '../core/apiError';
import type { ConnectArgs } from '../core/commandIds';
import type { CommandHandlers } from '../core/commandRegistry';
import { userLabel } from './connectionState';
import type { ConnectionTest } from '../core/hangarSession';
import { localTokenPath, readLocalToken } from './localServer';
import { checkServerUrl, isLoopbackUrl, validateServerUrlInput } from '../core/serverUrl';
import { settings } from '../core/settings';
import { showError } from '../core/userErrors';
import type { FeatureCore } from '../core/featureCore';

type ConnectionHandlers =
  Pick<CommandHandlers, 'hangar.connect' | 'hangar.disconnect' | 'hangar.testConnection' | 'hangar.showLog'>;

export function connectionCommands(s: Pick<FeatureCore, 'session' | 'log' | 'channel'>): ConnectionHandlers {
  async function connect(args?: ConnectArgs): Promise<Me | undefined> {
    const interactive = !args?.url;
    const rawUrl = args?.url ?? await vscode.window.showInputBox({
      title: 'Connect to a Hangar server',
      prompt: 'The URL of the Hangar management API',
      value: settings.serverUrlOrDefault(),
      placeHolder: 'http://127.0.0.1:7420',
      ignoreFocusOut: true,
      validateInput: validateServerUrlInput,
    });
    if (!rawUrl) return undefined;
    const checked = checkServerUrl(rawUrl);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(`Hangar: ${checked.message}`);
      return undefined;
    }
    const url = checked.url;

    let token = args?.token;
    let fromLocalFile = false;
    if (!token && isLoopbackUrl(url)) {
      const file = localTokenPath(settings.explicitLocalTokenFile(), process.env);
      token = await readLocalToken(file);
      fromLocalFile = token !== undefined;
      s.log.info(fromLocalFile
        ? `using the local server's token from ${file}` : `no local token at ${file}; asking for one`);
    }
    token ??= await askToken(url);
    if (!token) return undefined;

    try {
      const me = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Connecting to ${url}…` },
        () => s.session.connect(url, token));
      void vscode.window.showInformationMessage(`Hangar: connected to ${url} as ${userLabel(me)}.`);
      return me;
    } catch (e) {
      if (fromLocalFile && interactive && e instanceof ApiError && e.isUnauthorised) {
        // A stale token file (the server was reset): ask instead.
        const asked = await askToken(url, 'The local token file holds a token the server refused.');
        if (asked) return connect({ url, token: asked });
        return undefined;
      }
      await showError(`Could not connect to ${url}`, e, {
        Retry: () => connect(interactive ? undefined : { url }),
      });
      return undefined;
    }
  }

  async function testConnection(): Promise<ConnectionTest | undefined> {
    if (s.session.state.kind === 'disconnected') {
      const pick = await vscode.window.showWarningMessage('Hangar: not connected to a server.', 'Connect');
      if (pick) await connect();
      return undefined;
    }
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Testing the Hangar connection…' },
        () => s.session.testConnection());
      const [who, ms] = [userLabel(result.user), Math.round(result.latencyMs)];
      const msg = `Hangar ${result.url}: server ${result.version}, signed in as ${who}, ${ms} ms.`;
      s.log.info(msg);
      void vscode.window.showInformationMessage(msg);
      return result;
    } catch (e) {
      await showError('Connection test failed', e, { Retry: () => testConnection() });
      return undefined;
    }
  }

  return {
    'hangar.connect': connect,
    'hangar.disconnect': async () => {
      if (s.session.state.kind === 'disconnected') {
        void vscode.window.showInformationMessage('Hangar: not connected.');
        return;
      }
      const url = s.session.state.url;
      await s.session.disconnect();
      void vscode.window.showInformationMessage(`Hangar: disconnected from ${url}; its token was removed.`);
    },
    'hangar.testConnection': testConnection,
    'hangar.showLog': () => s.channel.show(true),
  };
}

function askToken(url: string, reason?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `API token for ${url}`,
    prompt: `${reason ? `${reason} ` : ''}Paste an API token (an admin creates one with "hangar-api token create"). `
      + 'It is kept in VS Code\'s secret storage.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The token is required'),
  }).then((v) => v?.trim() || undefined);
}
