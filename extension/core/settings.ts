import * as vscode from 'vscode';
import { DEFAULT_SERVER_URL } from './serverUrl';

/** The extension's settings, read at the moment they are needed. Tokens never live here. */
export const settings = {
  serverUrl(): string | undefined {
    const v = vscode.workspace.getConfiguration('hangar').get<string>('serverUrl')?.trim();
    return v || undefined;
  },
  serverUrlOrDefault(): string {
    return settings.serverUrl() ?? DEFAULT_SERVER_URL;
  },
  async saveServerUrl(url: string): Promise<void> {
    if (settings.serverUrl() === url) return;
    await vscode.workspace.getConfiguration('hangar').update('serverUrl', url, vscode.ConfigurationTarget.Global);
  },
  /** Only a value the user set; the default is resolved in localServer.localTokenPath (it honours HANGAR_DATA_DIR). */
  explicitLocalTokenFile(): string | undefined {
    const i = vscode.workspace.getConfiguration('hangar').inspect<string>('localTokenFile');
    return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  },
  localServerPath(): string | undefined {
    return vscode.workspace.getConfiguration('hangar').get<string>('localServer.path')?.trim() || undefined;
  },
  /** Seconds between backstop polls of the projects while the view is visible; 0 = off. */
  autoRefreshInterval(): number {
    const v = vscode.workspace.getConfiguration('hangar').get<number>('autoRefreshInterval');
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 60;
  },
  /** The offline store's limits (issue #14), read at each write so a change applies at once. */
  offlineStoreLimitMB(): number {
    const v = vscode.workspace.getConfiguration('hangar').get<number>('offline.storeLimitMB');
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? v : 50;
  },
  offlineTranscriptsPerProject(): number {
    const v = vscode.workspace.getConfiguration('hangar').get<number>('offline.transcriptsPerProject');
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 5;
  },
  nodePath(): string {
    return vscode.workspace.getConfiguration('hangar').get<string>('nodePath')?.trim() || 'node';
  },
};
