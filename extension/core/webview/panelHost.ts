// The one webview panel host: creates (or adopts a restored) panel, gives it the page with its CSP,
// validates the messages both ways (PanelChannel), reveals it, and disposes it with everything it
// registered. Each panel (chat, desktop, project details) supplies only what differs: a PanelSpec.
import * as vscode from 'vscode';
import type { Logger } from '../ports';
import { PanelChannel, type PanelHandlers, type Schema } from './panelChannel';
import { resourceRoots, webviewHtml } from './webviewHtml';

type Message = { type: string };

export interface PanelSpec<In extends Message, Out extends Message> {
  /** VS Code's view type (the serializer's key for panels that survive a reload). */
  viewType: string;
  /** The folder under webviews/ (and dist/webviews/) of the page. */
  webview: string;
  /** The tab's title at first. */
  title: string;
  /** The page's <title>. */
  pageTitle: string;
  /** An icon file inside the extension (`media/…`) or a codicon. */
  icon: string | vscode.ThemeIcon;
  /** Keep the page alive while its tab is hidden (the desktop: a reload would cost a reconnect). */
  retainContextWhenHidden?: boolean;
  /** Origins the page may connect to itself (CSP connect-src). */
  connectSrc?: string[];
  /** For log lines: `chat <id>`, `desktop <id>`, … */
  name: string;
  incoming: Schema<In>;
  outgoing: Schema<Out>;
  handlers: PanelHandlers<In>;
  /** Each `ready` of the page (the first, and again after it reloaded). */
  onReady?(): void;
}

export interface PanelHostDeps {
  extensionUri: vscode.Uri;
  log: Logger;
}

/** Webview options: scripts on, files only from the webview's own bundle folder and media/. */
export function panelOptions(
  extensionUri: vscode.Uri, webview: string, retainContextWhenHidden = false,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden,
    localResourceRoots: resourceRoots(webview).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
  };
}

export class PanelHost<In extends Message, Out extends Message> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly channel: PanelChannel<In, Out>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposeListeners: Array<() => void> = [];
  private _disposed = false;

  /** `restored`: a panel VS Code handed back after a window reload (its serializer's). */
  constructor(deps: PanelHostDeps, spec: PanelSpec<In, Out>, restored?: vscode.WebviewPanel) {
    const { extensionUri, log } = deps;
    const options = panelOptions(extensionUri, spec.webview, spec.retainContextWhenHidden);
    if (restored) {
      this.panel = restored;
      this.panel.title = spec.title;
      this.panel.webview.options = options;
    } else {
      this.panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, vscode.ViewColumn.Active, options);
    }
    const icon = spec.icon;
    this.panel.iconPath = typeof icon === 'string' ? vscode.Uri.joinPath(extensionUri, ...icon.split('/')) : icon;
    const webview = this.panel.webview;
    this.channel = new PanelChannel(webview, {
      name: spec.name, incoming: spec.incoming, outgoing: spec.outgoing, handlers: spec.handlers, log,
      ...(spec.onReady ? { onReady: spec.onReady } : {}),
    });
    webview.html = webviewHtml({
      name: spec.webview,
      title: spec.pageTitle,
      cspSource: webview.cspSource,
      resourceUri: (p) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString(),
      hasStylesheet: true,
      ...(spec.connectSrc ? { connectSrc: spec.connectSrc } : {}),
    });
    this.subscriptions.push(
      this.channel,
      // A hidden webview's document is discarded (unless retained); shown again it reloads and says `ready` again.
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible && !spec.retainContextWhenHidden) this.channel.reset();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get disposed(): boolean { return this._disposed; }
  get active(): boolean { return !this._disposed && this.panel.active; }

  set title(title: string) { this.panel.title = title; }

  reveal(): void { this.panel.reveal(); }

  /** Registers what the panel's owner set up: disposed with the panel. */
  own(...disposables: vscode.Disposable[]): void {
    this.subscriptions.push(...disposables);
  }

  /** Runs once, when the panel closes (the user closed it, or the owner disposed it). */
  onDidDispose(listener: () => void): void {
    this.disposeListeners.push(listener);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    for (const l of this.disposeListeners) l();
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
  }
}
