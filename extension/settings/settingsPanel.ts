// The host side of the Hangar settings webview: one panel, the server-side settings through the API
// (edits checked with the API's own schemas first), the permission editor per project, and the
// Export…/Import… buttons, which run the commands.
import * as vscode from 'vscode';
import {
  SettingsHostToWebview, SettingsWebviewToHost, type SettingsPanelState,
} from '../../webviews/protocol/settings';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelChannel, type PanelHandlers } from '../core/webview/panelChannel';
import { resourceRoots, webviewHtml } from '../core/webview/webviewHtml';
import { checkPermissions, projectPermissionsView, settingsView, updateFromEdit } from './settingsModel';

const VIEW_TYPE = 'hangarSettings';
const WEBVIEW = 'settings';

export interface SettingsPanelProbe { visible: boolean; ready: boolean; lastState: SettingsPanelState | undefined }

export class SettingsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: PanelChannel<SettingsWebviewToHost, SettingsHostToWebview> | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private projectId: string | null = null;

  /** The webview's requests; the suite's hooks send the same messages (test/vscode/hooks). */
  private readonly handlers: PanelHandlers<SettingsWebviewToHost> = {
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

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.load();
      return;
    }
    const { extensionUri, log } = this.deps;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Hangar Settings', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(WEBVIEW).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'hangar.svg');
    const channel = new PanelChannel<SettingsWebviewToHost, SettingsHostToWebview>(panel.webview, {
      name: 'settings', incoming: SettingsWebviewToHost, outgoing: SettingsHostToWebview, log,
      handlers: this.handlers,
    });
    this.channel = channel;
    panel.webview.html = webviewHtml({
      name: WEBVIEW, title: 'Hangar Settings', cspSource: panel.webview.cspSource, hasStylesheet: true,
      resourceUri: (p) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString(),
    });
    this.subscriptions = [
      channel,
      panel.onDidChangeViewState(() => { if (!panel.visible) channel.reset(); }),
      panel.onDidDispose(() => this.closed()),
      this.deps.session.onDidChangeState(() => void this.load()),
    ];
    channel.postState({ type: 'state', state: { kind: 'loading' } });
    void this.load();
  }

  /** Runs one webview message (validated like the webview's) and settles like its request. */
  async inject(raw: unknown): Promise<{ ok: boolean; error?: string }> {
    const parsed = SettingsWebviewToHost.safeParse(raw);
    if (!parsed.success || parsed.data.type === 'ready') return { ok: false, error: 'not a settings request' };
    const message = parsed.data;
    const handler = this.handlers[message.type] as (m: typeof message) => Promise<unknown>;
    try {
      await handler(message);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  probe(): SettingsPanelProbe | undefined {
    if (!this.panel || !this.channel) return undefined;
    const last = this.channel.lastState;
    return { visible: this.panel.visible, ready: this.channel.ready, lastState: last?.type === 'state' ? last.state : undefined };
  }

  dispose(): void {
    this.panel?.dispose();
    this.closed();
  }

  private closed(): void {
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions = [];
    this.panel = undefined;
    this.channel = undefined;
  }

  private async load(): Promise<void> {
    const channel = this.channel;
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
