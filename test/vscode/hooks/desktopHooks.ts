// hangar.internal.desktop: a desktop panel's probe, a test action run in its page, or where its next
// screenshot goes. Each desktop panel loads the test build of the page (dist/test/webviews/desktop),
// which answers `desktop.test` messages; they go past the product's channel, straight to the webview.
import * as vscode from 'vscode';
import type { DesktopFeature } from '../../../extension/desktop/desktopFeature';
import type { DesktopPanel } from '../../../extension/desktop/desktopPanel';
import { DesktopTestAction, DesktopTestResult } from './desktopTestProtocol';

export interface DesktopPanelProbe {
  title: string;
  ready: boolean;
  /** The webview's last report of its noVNC connection. */
  state: Record<string, unknown> | undefined;
  ticketsIssued: number;
  lastSavedScreenshot: string | undefined;
  /** The information toasts shown about saved screenshots, oldest first. */
  screenshotNotices: string[];
}

export interface DesktopInternalArgs { projectId: string; test?: unknown; screenshotTo?: string }

type TestAnswer = { ok: boolean; colors?: string[]; error?: string };

/** Where the test build of the page lives, beside the product's (dist/webviews/desktop). */
const TEST_PAGE = 'dist/test/webviews/desktop';

/** Points each desktop panel at the test page; `loaded` when the desktop feature loads (before its first panel). */
export function desktopHooks(extensionUri: vscode.Uri): {
  loaded: (desktop: DesktopFeature) => void;
  command: (desktop: DesktopFeature, args: DesktopInternalArgs) => Promise<unknown>;
  disposable: vscode.Disposable;
} {
  const pending = new Map<number, (r: TestAnswer) => void>();
  let seq = 0;
  /** The file the next screenshot is saved to: the save dialog is answered with it. */
  let screenshotTo: string | undefined;

  const loaded = (desktop: DesktopFeature): void => { desktop.panels.panels.onDidOpen((_id, panel) => {
    const webview = panel.host.panel.webview;
    const testPage = vscode.Uri.joinPath(extensionUri, ...TEST_PAGE.split('/'));
    const roots = [...(webview.options.localResourceRoots ?? []), testPage];
    webview.options = { ...webview.options, localResourceRoots: roots };
    // The same page (CSP, nonce, stylesheet) with the test build's script in place of the product's.
    const productPage = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'desktop', 'index.js');
    const product = webview.asWebviewUri(productPage).toString();
    const test = webview.asWebviewUri(vscode.Uri.joinPath(testPage, 'index.js')).toString();
    if (!webview.html.includes(product)) throw new Error(`the desktop page does not load ${productPage.fsPath}`);
    webview.html = webview.html.replace(product, test);
    panel.host.own(webview.onDidReceiveMessage((raw: unknown) => {
      const r = DesktopTestResult.safeParse(raw);
      if (!r.success) return;
      const { seq: n, ok, colors, error } = r.data;
      pending.get(n)?.({ ok, ...(colors ? { colors } : {}), ...(error ? { error } : {}) });
      pending.delete(n);
    }));
  }); };

  // The product asks where to save with VS Code's save dialog; the suite named the file beforehand.
  const showSaveDialog = vscode.window.showSaveDialog;
  vscode.window.showSaveDialog = (options?: vscode.SaveDialogOptions) => {
    if (screenshotTo === undefined) return showSaveDialog(options);
    const target = vscode.Uri.file(screenshotTo);
    screenshotTo = undefined;
    return Promise.resolve(target);
  };

  // The confirmation toast after a save: the suite cannot see toasts in the workbench, so it reads them here.
  const notices: string[] = [];
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const showInformationMessage = window.showInformationMessage;
  window.showInformationMessage = ((message: string, ...rest: never[]) => {
    if (/screenshot saved/.test(message)) notices.push(message);
    return (showInformationMessage as (m: string, ...r: never[]) => unknown)(message, ...rest);
  }) as typeof window.showInformationMessage;

  const probe = (panel: DesktopPanel): DesktopPanelProbe => {
    const last = panel.state;
    const state = last ? Object.fromEntries(Object.entries(last).filter(([k]) => k !== 'type')) : undefined;
    return {
      title: panel.host.panel.title,
      ready: panel.host.channel.ready,
      state,
      ticketsIssued: panel.ticketsIssued,
      lastSavedScreenshot: panel.lastSaved,
      screenshotNotices: [...notices],
    };
  };

  const runTest = (panel: DesktopPanel, test: DesktopTestAction): Promise<TestAnswer> => {
    const n = ++seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(n);
        resolve({ ok: false, error: 'the webview did not answer within 10 s' });
      }, 10_000);
      pending.set(n, (r) => { clearTimeout(timer); resolve(r); });
      if (!panel.host.channel.ready) {
        clearTimeout(timer);
        pending.delete(n);
        resolve({ ok: false, error: 'the webview is not ready' });
        return;
      }
      void panel.host.panel.webview.postMessage({ type: 'desktop.test', seq: n, test });
    });
  };

  const command = async (desktop: DesktopFeature, args: DesktopInternalArgs): Promise<unknown> => {
    const panel = desktop.panels.panels.get(args.projectId);
    if (!panel) return undefined;
    if (args.screenshotTo !== undefined) screenshotTo = args.screenshotTo;
    if (args.test !== undefined) return runTest(panel, DesktopTestAction.parse(args.test));
    return probe(panel);
  };
  const disposable = new vscode.Disposable(() => {
    vscode.window.showSaveDialog = showSaveDialog;
    window.showInformationMessage = showInformationMessage;
  });
  return { loaded, command, disposable };
}
