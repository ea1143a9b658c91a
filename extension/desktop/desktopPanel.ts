// The host side of the Desktop (VNC) webview: one panel per project. It asks the API for a one-use
// ticket with the extension's token and hands the webview only the ticketed websocket URL; the CSP
// lets the page connect to the API's origin and nowhere else.
import * as vscode from 'vscode';
import { ProjectStatusView } from '../../webviews/protocol/common';
import { DesktopHostToWebview, DesktopWebviewToHost, type DesktopProject } from '../../webviews/protocol/desktop';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelHost } from '../core/webview/panelHost';
import { PanelsByProject } from '../core/webview/panelsByProject';
import { screenshotName, socketOrigin, ticketUrl, unavailableFrom } from './desktopModel';

export interface DesktopPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
}

type StateMessage = Extract<DesktopWebviewToHost, { type: 'desktop.state' }>;

export class DesktopPanels implements vscode.Disposable {
  readonly panels: PanelsByProject<DesktopPanel>;

  constructor(deps: DesktopPanelDeps) {
    this.panels = new PanelsByProject((projectId, onDisposed) => new DesktopPanel(deps, projectId, onDisposed));
  }

  show(projectId: string): void {
    this.panels.show(projectId);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class DesktopPanel {
  readonly host: PanelHost<DesktopWebviewToHost, DesktopHostToWebview>;
  private _state: StateMessage | undefined;
  private _ticketsIssued = 0;
  private _lastSaved: string | undefined;
  private lastProject: string | undefined;

  constructor(private readonly deps: DesktopPanelDeps, private readonly projectId: string, onDisposed: () => void) {
    const { session, log } = deps;
    const serverUrl = session.serverUrl;
    if (!serverUrl) throw new Error('Not connected to a Hangar server. Connect first, then open the desktop.');
    this.host = new PanelHost(deps, {
      viewType: 'hangarDesktop',
      webview: 'desktop',
      title: `Desktop: ${this.project().name}`,
      pageTitle: 'Desktop',
      icon: new vscode.ThemeIcon('device-desktop'),
      // Hiding the tab must not drop the VNC session (a reload would cost a reconnect).
      retainContextWhenHidden: true,
      connectSrc: [socketOrigin(serverUrl)],
      name: `desktop ${projectId}`,
      incoming: DesktopWebviewToHost,
      outgoing: DesktopHostToWebview,
      handlers: {
        'desktop.requestTicket': ({ reason }) => this.issueTicket(reason),
        'desktop.redeploy': () => {
          void vscode.commands.executeCommand('hangar.deployContainer', { projectId: this.projectId });
        },
        'desktop.state': (m) => {
          const detail = m.detail ? ` (${m.detail})` : '';
          if (m.state !== this._state?.state) log.info(`desktop ${projectId}: ${m.state}${detail}`);
          this._state = m;
        },
        'desktop.screenshot': ({ png }) => this.saveScreenshot(png),
      },
      onReady: () => this.updateProject(true),
    });
    this.host.onDidDispose(onDisposed);
    this.host.own(session.store.onDidChange(() => this.updateProject(false)));
  }

  /** The webview's last report of its noVNC connection. */
  get state(): StateMessage | undefined { return this._state; }
  /** Tickets handed to the webview so far (one per connection). */
  get ticketsIssued(): number { return this._ticketsIssued; }
  /** Where the last screenshot was saved. */
  get lastSaved(): string | undefined { return this._lastSaved; }

  reveal(): void { this.host.reveal(); }

  dispose(): void {
    this.host.dispose();
  }

  private project(): DesktopProject {
    const p = this.deps.session.store.project(this.projectId);
    const status = ProjectStatusView.safeParse(p?.status);
    const name = p?.name ?? this.projectId;
    return { id: this.projectId, name, status: status.success ? status.data : 'not_deployed' };
  }

  private updateProject(force: boolean): void {
    if (this.host.disposed) return;
    const project = this.project();
    const key = JSON.stringify(project);
    if (!force && key === this.lastProject) return;
    this.lastProject = key;
    this.host.title = `Desktop: ${project.name}`;
    this.host.channel.post({ type: 'desktop.project', project });
  }

  /** A fresh one-use ticket for each (re)connection; the token stays here. */
  private async issueTicket(reason: 'open' | 'reconnect'): Promise<void> {
    const { session, log } = this.deps;
    try {
      const serverUrl = session.serverUrl;
      if (!serverUrl) throw new Error('Not connected to a Hangar server.');
      const ticket = await session.api.vncTicket(this.projectId);
      this._ticketsIssued++;
      log.debug(`desktop ${this.projectId}: ticket ${this._ticketsIssued} (${reason})`);
      const url = ticketUrl(serverUrl, ticket);
      this.host.channel.post({ type: 'desktop.connect', url, attempt: this._ticketsIssued });
    } catch (e) {
      const u = unavailableFrom(e, session.store.project(this.projectId));
      log.info(`desktop ${this.projectId}: no ticket: ${u.message}`);
      const action = u.action ? { action: u.action } : {};
      this.host.channel.post({ type: 'desktop.unavailable', message: u.message, retry: u.retry, ...action });
    }
  }

  private async saveScreenshot(png: string): Promise<void> {
    const bytes = Buffer.from(png, 'base64');
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('the screenshot is not a PNG image');
    const slug = this.deps.session.store.project(this.projectId)?.slug ?? 'project';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = screenshotName(slug, new Date());
    const target = await vscode.window.showSaveDialog({
      title: 'Save Desktop Screenshot',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: { 'PNG image': ['png'] },
    });
    if (!target) return; // cancelled: not an error
    await vscode.workspace.fs.writeFile(target, bytes);
    this._lastSaved = target.fsPath;
    this.deps.log.info(`desktop ${this.projectId}: screenshot saved to ${target.fsPath}`);
    // The save dialog closes without a word: say where the file went, with a way to open it.
    const saved = vscode.window.showInformationMessage(`Hangar: desktop screenshot saved to ${target.fsPath}`, 'Open');
    void saved.then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', target);
    });
  }
}
