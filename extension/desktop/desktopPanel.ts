// The host side of the Desktop (VNC) webview: one panel per project. It asks the API for a one-use
// ticket with the extension's token and hands the webview only the ticketed websocket URL; the CSP
// lets the page connect to the API's origin and nowhere else.
import * as vscode from 'vscode';
import { ProjectStatusView } from '../../webviews/protocol/common';
import {
  DesktopHostToWebview, DesktopWebviewToHost, type DesktopProject, type DesktopTestAction,
} from '../../webviews/protocol/desktop';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelChannel } from '../core/webview/panelChannel';
import { resourceRoots, webviewHtml } from '../core/webview/webviewHtml';
import { PanelsByProject } from '../core/webview/panelsByProject';
import { screenshotName, socketOrigin, ticketUrl, unavailableFrom } from './desktopModel';

const VIEW_TYPE = 'hangarDesktop';
const WEBVIEW = 'desktop';

export interface DesktopPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
}

type StateMessage = Extract<DesktopWebviewToHost, { type: 'desktop.state' }>;

/** What `hangar.internal.desktop` returns. */
export interface DesktopPanelProbe {
  title: string;
  ready: boolean;
  /** The webview's last report of its noVNC connection. */
  state: Omit<StateMessage, 'type'> | undefined;
  ticketsIssued: number;
  lastSavedScreenshot: string | undefined;
}

/** Hidden, for the in-VS-Code suite: a probe, a test action run in the webview, or where the next screenshot goes. */
export interface DesktopInternalArgs { projectId: string; test?: DesktopTestAction; screenshotTo?: string }

export class DesktopPanels implements vscode.Disposable {
  private readonly panels: PanelsByProject<DesktopPanel>;

  constructor(deps: DesktopPanelDeps) {
    this.panels = new PanelsByProject((projectId, onDisposed) => new DesktopPanel(deps, projectId, onDisposed));
  }

  show(projectId: string): void {
    this.panels.show(projectId);
  }

  async internal(args: DesktopInternalArgs): Promise<DesktopPanelProbe | { ok: boolean; colors?: string[]; error?: string } | undefined> {
    const panel = this.panels.get(args.projectId);
    if (!panel) return undefined;
    if (args.screenshotTo !== undefined) panel.screenshotTo = args.screenshotTo;
    if (args.test) return panel.test(args.test);
    return panel.probe();
  }

  dispose(): void {
    this.panels.dispose();
  }
}

class DesktopPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PanelChannel<DesktopWebviewToHost, DesktopHostToWebview>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: StateMessage | undefined;
  private ticketsIssued = 0;
  private seq = 0;
  private readonly pendingTests = new Map<number, (r: { ok: boolean; colors?: string[]; error?: string }) => void>();
  private lastProject: string | undefined;
  private disposed = false;
  lastSaved: string | undefined;
  screenshotTo: string | undefined;

  constructor(private readonly deps: DesktopPanelDeps, private readonly projectId: string, private readonly onDisposed: () => void) {
    const { extensionUri, session, log } = deps;
    const serverUrl = session.serverUrl;
    if (!serverUrl) throw new Error('Not connected to a Hangar server. Connect first, then open the desktop.');
    this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Desktop: ${this.project().name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      // Hiding the tab must not drop the VNC session (a reload would cost a reconnect).
      retainContextWhenHidden: true,
      localResourceRoots: resourceRoots(WEBVIEW).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
    });
    this.panel.iconPath = new vscode.ThemeIcon('device-desktop');
    const webview = this.panel.webview;
    this.channel = new PanelChannel(webview, {
      name: `desktop ${projectId}`,
      incoming: DesktopWebviewToHost,
      outgoing: DesktopHostToWebview,
      log,
      handlers: {
        'desktop.requestTicket': ({ reason }) => this.issueTicket(reason),
        'desktop.redeploy': () => void vscode.commands.executeCommand('hangar.deployContainer', { projectId: this.projectId }),
        'desktop.state': (m) => {
          if (m.state !== this.state?.state) log.info(`desktop ${projectId}: ${m.state}${m.detail ? ` (${m.detail})` : ''}`);
          this.state = m;
        },
        'desktop.screenshot': ({ png }) => this.saveScreenshot(png),
        'desktop.testResult': ({ seq, ok, colors, error }) => {
          this.pendingTests.get(seq)?.({ ok, ...(colors ? { colors } : {}), ...(error ? { error } : {}) });
          this.pendingTests.delete(seq);
        },
      },
      onReady: () => this.updateProject(true),
    });
    webview.html = webviewHtml({
      name: WEBVIEW,
      title: 'Desktop',
      cspSource: webview.cspSource,
      resourceUri: (p) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString(),
      hasStylesheet: true,
      connectSrc: [socketOrigin(serverUrl)],
    });
    this.subscriptions.push(
      this.channel,
      session.store.onDidChange(() => this.updateProject(false)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void { this.panel.reveal(); }

  probe(): DesktopPanelProbe {
    const state = this.state ? (Object.fromEntries(Object.entries(this.state).filter(([k]) => k !== 'type')) as Omit<StateMessage, 'type'>) : undefined;
    return {
      title: this.panel.title,
      ready: this.channel.ready,
      state,
      ticketsIssued: this.ticketsIssued,
      lastSavedScreenshot: this.lastSaved,
    };
  }

  test(test: DesktopTestAction): Promise<{ ok: boolean; colors?: string[]; error?: string }> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingTests.delete(seq);
        resolve({ ok: false, error: 'the webview did not answer within 10 s' });
      }, 10_000);
      this.pendingTests.set(seq, (r) => { clearTimeout(timer); resolve(r); });
      if (!this.channel.post({ type: 'desktop.test', seq, test })) {
        clearTimeout(timer);
        this.pendingTests.delete(seq);
        resolve({ ok: false, error: 'the webview is not ready' });
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private project(): DesktopProject {
    const p = this.deps.session.store.project(this.projectId);
    const status = ProjectStatusView.safeParse(p?.status);
    return { id: this.projectId, name: p?.name ?? this.projectId, status: status.success ? status.data : 'not_deployed' };
  }

  private updateProject(force: boolean): void {
    if (this.disposed) return;
    const project = this.project();
    const key = JSON.stringify(project);
    if (!force && key === this.lastProject) return;
    this.lastProject = key;
    this.panel.title = `Desktop: ${project.name}`;
    this.channel.post({ type: 'desktop.project', project });
  }

  /** A fresh one-use ticket for each (re)connection; the token stays here. */
  private async issueTicket(reason: 'open' | 'reconnect'): Promise<void> {
    const { session, log } = this.deps;
    try {
      const serverUrl = session.serverUrl;
      if (!serverUrl) throw new Error('Not connected to a Hangar server.');
      const ticket = await session.api.vncTicket(this.projectId);
      this.ticketsIssued++;
      log.debug(`desktop ${this.projectId}: ticket ${this.ticketsIssued} (${reason})`);
      this.channel.post({ type: 'desktop.connect', url: ticketUrl(serverUrl, ticket), attempt: this.ticketsIssued });
    } catch (e) {
      const u = unavailableFrom(e, session.store.project(this.projectId));
      log.info(`desktop ${this.projectId}: no ticket: ${u.message}`);
      this.channel.post({ type: 'desktop.unavailable', message: u.message, retry: u.retry, ...(u.action ? { action: u.action } : {}) });
    }
  }

  private async saveScreenshot(png: string): Promise<void> {
    const bytes = Buffer.from(png, 'base64');
    if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new Error('the screenshot is not a PNG image');
    let target: vscode.Uri | undefined;
    if (this.screenshotTo) {
      target = vscode.Uri.file(this.screenshotTo);
      this.screenshotTo = undefined;
    } else {
      const slug = this.deps.session.store.project(this.projectId)?.slug ?? 'project';
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = screenshotName(slug, new Date());
      target = await vscode.window.showSaveDialog({
        title: 'Save Desktop Screenshot',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
        filters: { 'PNG image': ['png'] },
      });
      if (!target) return; // cancelled: not an error
    }
    await vscode.workspace.fs.writeFile(target, bytes);
    this.lastSaved = target.fsPath;
    this.deps.log.info(`desktop ${this.projectId}: screenshot saved to ${target.fsPath}`);
  }
}
