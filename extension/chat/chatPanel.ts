// The host side of the Chat webview: one panel per project. Thin vscode adapter: the chat's logic is
// in chatSession.ts (ChatController), the messages go through PanelChannel.
import * as vscode from 'vscode';
import { AgentEvent } from '../../backend/contract';
import {
  ChatHostToWebview, ChatWebviewToHost, dispatch, ProjectStatusView, type ChatProject,
} from '../../webviews/protocol';
import type { EventStream, StreamState } from '../eventStream';
import type { HangarSession } from '../hangarSession';
import type { Logger } from '../ports';
import { PanelChannel } from '../panels/panelChannel';
import { resourceRoots, webviewHtml } from '../panels/webviewHtml';
import { chatApi, ChatController, type AgentStreamEvent } from './chatSession';

const VIEW_TYPE = 'hangarChat';
const WEBVIEW = 'chat';
const ICON = 'media/hangar.svg';
/** The probe keeps this many posted messages (the in-VS-Code suite reads them). */
const PROBE_LIMIT = 5000;

export interface ChatPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
}

/** What `hangar.internal.chat` returns. */
export interface ChatPanelProbe {
  title: string;
  ready: boolean;
  readyCount: number;
  activeSessionId: string | null;
  stream: StreamState['kind'];
  /** The streamed messages posted to a ready webview (the most recent PROBE_LIMIT). */
  posted: ChatHostToWebview[];
}

/** Hidden: inject a webview message into a panel's host; the answer is what a `response` would say. */
export interface ChatInternalArgs { projectId: string; inject?: unknown }

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();

  constructor(private readonly deps: ChatPanelDeps) {}

  show(projectId: string): void {
    const open = this.panels.get(projectId);
    if (open) {
      open.reveal();
      return;
    }
    this.panels.set(projectId, new ChatPanel(this.deps, projectId, () => this.panels.delete(projectId)));
  }

  async internal(args: ChatInternalArgs): Promise<ChatPanelProbe | { ok: boolean; error?: string } | undefined> {
    const panel = this.panels.get(args.projectId);
    if (!panel) return undefined;
    if (args.inject !== undefined) return panel.inject(args.inject);
    return panel.probe();
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

function chatProject(session: HangarSession, projectId: string): ChatProject {
  const p = session.store.project(projectId);
  const status = ProjectStatusView.safeParse(p?.status);
  return { id: projectId, name: p?.name ?? projectId, status: status.success ? status.data : 'not_deployed' };
}

class ChatPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PanelChannel<ChatWebviewToHost, ChatHostToWebview>;
  private readonly controller: ChatController;
  private readonly stream: EventStream<AgentStreamEvent>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly posted: ChatHostToWebview[] = [];
  private disposed = false;

  constructor(deps: ChatPanelDeps, private readonly projectId: string, private readonly onDisposed: () => void) {
    const { extensionUri, session, log } = deps;
    const project = chatProject(session, projectId);
    this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Chat: ${project.name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: resourceRoots(WEBVIEW).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, ...ICON.split('/'));
    const webview = this.panel.webview;
    this.controller = new ChatController(chatApi(session.api, projectId), {
      post: (m) => {
        if (!this.channel.post(m)) return;
        this.posted.push(m);
        if (this.posted.length > PROBE_LIMIT) this.posted.splice(0, this.posted.length - PROBE_LIMIT);
      },
      confirmExternal: async (url) => {
        const open = 'Open';
        return (await vscode.window.showWarningMessage(`Open this external link?\n\n${url}`, { modal: true }, open)) === open;
      },
      openExternal: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
      copy: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    }, project, log);
    this.channel = new PanelChannel(webview, {
      name: `chat ${projectId}`,
      incoming: ChatWebviewToHost,
      outgoing: ChatHostToWebview,
      log,
      handlers: this.controller.handlers,
      onReady: () => {
        void this.controller.onReady().catch((e: unknown) => log.warn(`chat ${projectId}: loading failed: ${e instanceof Error ? e.message : String(e)}`));
      },
    });
    this.stream = session.agentEventStream<AgentStreamEvent>(projectId, {
      parse: (data) => { const r = AgentEvent.safeParse(data); return r.success ? r.data : undefined; },
      onEvent: (e) => this.controller.onEvent(e),
      onState: (s) => this.onStreamState(s),
      onLog: (level, m) => log[level](`chat ${projectId} events: ${m}`),
    });
    webview.html = webviewHtml({
      name: WEBVIEW,
      title: 'Chat',
      cspSource: webview.cspSource,
      resourceUri: (p) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p.split('/'))).toString(),
      hasStylesheet: true,
    });
    this.subscriptions.push(
      this.channel,
      session.store.onDidChange(() => this.updateProject(session)),
      // A hidden webview's document is discarded; shown again it reloads and says `ready` again.
      this.panel.onDidChangeViewState(() => { if (!this.panel.visible) this.channel.reset(); }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.stream.start();
  }

  reveal(): void { this.panel.reveal(); }

  probe(): ChatPanelProbe {
    return {
      title: this.panel.title,
      ready: this.channel.ready,
      readyCount: this.channel.readyCount,
      activeSessionId: this.controller.activeSession,
      stream: this.stream.state.kind,
      posted: [...this.posted],
    };
  }

  async inject(raw: unknown): Promise<{ ok: boolean; error?: string }> {
    const parsed = ChatWebviewToHost.safeParse(raw);
    if (!parsed.success) return { ok: false, error: parsed.error.message };
    if (parsed.data.type === 'ready') return { ok: false, error: 'ready is the webview\'s' };
    try {
      await dispatch(this.controller.handlers, parsed.data);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stream.stop();
    this.controller.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private lastProject: string | undefined;

  private updateProject(session: HangarSession): void {
    const project = chatProject(session, this.projectId);
    const key = JSON.stringify(project);
    if (key === this.lastProject) return;
    this.lastProject = key;
    this.panel.title = `Chat: ${project.name}`;
    this.controller.setProject(project);
  }

  private onStreamState(s: StreamState): void {
    switch (s.kind) {
      case 'open':
        this.controller.connection('connected');
        if (s.reconnected) void this.controller.resync();
        return;
      case 'connecting':
      case 'waiting':
        this.controller.connection('reconnecting');
        return;
      case 'unauthorised':
      case 'stopped':
        this.controller.connection('offline');
        return;
      case 'idle':
        return;
    }
  }
}
