// The host side of the Hangar settings webview: one panel, the server-side settings through the API
// (edits checked with the API's own schemas first), the permission editor per project, and the
// Export…/Import… buttons, which run the commands.
import * as vscode from 'vscode';
import { SettingsHostToWebview, SettingsWebviewToHost } from '../../webviews/protocol/settings';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import type { PanelHandlers } from '../core/webview/panelChannel';
import { PanelHost } from '../core/webview/panelHost';
import { checkPermissions, projectPermissionsView, settingsView, updateFromEdit } from './settingsModel';

export class SettingsPanel implements vscode.Disposable {
  /** The open panel (one at a time), on the shared panel host. */
  private _host: PanelHost<SettingsWebviewToHost, SettingsHostToWebview> | undefined;
  private projectId: string | null = null;

  /** The webview's requests, one handler per message type. */
  readonly handlers: PanelHandlers<SettingsWebviewToHost> = {
    refresh: () => this.load(),
    save: async ({ edit }) => {
      const checked = updateFromEdit(edit);
      if (!checked.ok) throw new Error(checked.error);
      await this.deps.session.api.updateSettings(checked.body);
      await this.load();
    },
    selectProject: async ({ projectId }) => {
      this.projectId = projectId;
      await this.load();
    },
    saveProjectPermissions: async ({ projectId, permissions }) => {
      const checked = checkPermissions(permissions);
      if (!checked.ok) throw new Error(checked.error);
      await this.deps.session.api.setProjectPermissions(projectId, checked.body);
      await this.load();
    },
    exportSettings: async () => { await vscode.commands.executeCommand('hangar.exportSettings'); },
    importSettings: async () => {
      await vscode.commands.executeCommand('hangar.importSettings');
      await this.load();
    },
    openClientSettings: async () => {
      await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:hangar-dev.hangar');
    },
  };

  constructor(private readonly deps: { session: HangarSession; extensionUri: vscode.Uri; log: Logger }) {}

  /** The open panel's host, if the panel is open. */
  get host(): PanelHost<SettingsWebviewToHost, SettingsHostToWebview> | undefined { return this._host; }

  show(): void {
    if (this._host) {
      this._host.reveal();
      void this.load();
      return;
    }
    const host = new PanelHost(this.deps, {
      viewType: 'hangarSettings',
      webview: 'settings',
      title: 'Hangar Settings',
      pageTitle: 'Hangar Settings',
      icon: 'media/hangar.svg',
      name: 'settings',
      incoming: SettingsWebviewToHost,
      outgoing: SettingsHostToWebview,
      handlers: this.handlers,
    });
    this._host = host;
    host.onDidDispose(() => { if (this._host === host) this._host = undefined; });
    host.own(this.deps.session.onDidChangeState(() => void this.load()));
    host.channel.postState({ type: 'state', state: { kind: 'loading' } });
    void this.load();
  }

  dispose(): void {
    this._host?.dispose();
  }

  private async load(): Promise<void> {
    const channel = this._host?.channel;
    if (!channel) return;
    const { session, log } = this.deps;
    if (session.state.kind !== 'connected') {
      channel.postState({ type: 'state', state: { kind: 'unavailable', message: 'Connect to a Hangar server to see its settings.' } });
      return;
    }
    try {
      const projects = session.store.projects.map((p) => ({ id: p.id, name: p.name }));
      if (this.projectId && !projects.some((p) => p.id === this.projectId)) this.projectId = null;
      const id = this.projectId;
      const [settings, eff] = await Promise.all([session.api.settings(), id ? session.api.projectPermissions(id) : undefined]);
      const name = projects.find((p) => p.id === id)?.name ?? '';
      channel.postState({
        type: 'state',
        state: { kind: 'ready', settings: settingsView(settings), projects, project: id && eff ? projectPermissionsView(id, name, eff) : null },
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.warn(`settings: could not load: ${message}`);
      channel.postState({ type: 'state', state: { kind: 'unavailable', message: `Could not load the settings: ${message}` } });
    }
  }
}
