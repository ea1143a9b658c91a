// The host side of the Chat webview: one panel per project. Thin vscode adapter: the chat's logic is
// in chatSession.ts (ChatController), the messages go through PanelChannel.
import * as vscode from 'vscode';
import { AgentEvent, REDEPLOY_NOTE } from '../../backend/contract';
import {
  ChatHostToWebview, ChatPersistedState, ChatWebviewToHost, dispatch, ProjectStatusView, type ChatProject, type Mention,
} from '../../webviews/protocol';
import type { EventStream, StreamState } from '../core/eventStream';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelChannel } from '../core/webview/panelChannel';
import { isDesktopTier } from '../desktop/desktopModel';
import { resourceRoots, webviewHtml } from '../core/webview/webviewHtml';
import { chatStateKey, loadChatState, type ChatMemento } from './chatPersistence';
import { chatApi, ChatController, type AgentStreamEvent } from './chatSession';
import { DiffDocuments } from './diffDocuments';
import { startAndWait } from './projectStarter';
import { chatMentions } from './mentions/chatMentions';
import type { WorkspaceFileIndex } from './mentions/workspaceFiles';

const VIEW_TYPE = 'hangarChat';
const WEBVIEW = 'chat';
const ICON = 'media/hangar.svg';
/** The probe keeps this many posted messages (the in-VS-Code suite reads them). */
const PROBE_LIMIT = 5000;

export interface ChatPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
  /** where each project's session, drafts and queue survive a window reload (context.workspaceState) */
  workspaceState?: ChatMemento;
  /** the workspace's file index for @mentions (built on the first chat that opens) */
  mentions?: WorkspaceFileIndex;
}

/** A restored panel (the serializer's) and the session to open. */
interface ChatPanelOptions { panel?: vscode.WebviewPanel; sessionId?: string; diffs?: DiffDocuments }

/** What `hangar.internal.chat` returns. */
export interface ChatPanelProbe {
  title: string;
  ready: boolean;
  readyCount: number;
  activeSessionId: string | null;
  stream: StreamState['kind'];
  /** The streamed messages posted to a ready webview (the most recent PROBE_LIMIT). */
  posted: ChatHostToWebview[];
  /** the @mention workspace index: files indexed and the last build */
  mentionIndex?: { files: number; lastBuild: { ms: number; files: number } | undefined; events: number };
}

/**
 * Hidden: inject a webview message into a panel's host; the answer is what a `response` would say.
 * `reload`: close the panel and bring it back through the serializer's path, as a window reload does.
 */
export interface ChatInternalArgs { projectId: string; inject?: unknown; reload?: boolean; dropStreamMs?: number }

export class ChatPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChatPanel>();
  private readonly diffs = new DiffDocuments();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly deps: ChatPanelDeps) {
    // After a window reload VS Code hands back each chat panel with the webview's saved state.
    this.serializer = vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => { this.restore(panel, state); return Promise.resolve(); },
    });
  }

  /** Opens (or reveals) the project's chat; with a session id, at that session. */
  show(projectId: string, sessionId?: string): void {
    const open = this.panels.get(projectId);
    if (open) {
      open.reveal();
      if (sessionId) open.openSession(sessionId);
      return;
    }
    this.add(projectId, { ...(sessionId ? { sessionId } : {}) });
  }

  /** "Hangar: Use in Chat": opens (or reveals) the project's chat and puts the mention into its composer. */
  insertMention(projectId: string, mention: Mention): void {
    this.show(projectId);
    this.panels.get(projectId)?.insertMention(mention);
  }

  /** The projects whose chat is open. */
  openProjectIds(): string[] { return [...this.panels.keys()]; }

  /** A panel VS Code restored: its saved state names the project; without one it cannot be a chat. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const parsed = ChatPersistedState.safeParse(state);
    const projectId = parsed.success ? parsed.data.projectId : undefined;
    if (!projectId || this.panels.has(projectId)) {
      this.deps.log.info(`chat: not restoring a panel (${projectId ? 'already open' : 'no project in its state'})`);
      panel.dispose();
      return;
    }
    this.add(projectId, { panel });
  }

  private add(projectId: string, options: ChatPanelOptions): void {
    this.panels.set(projectId, new ChatPanel(this.deps, projectId, () => {
      this.panels.delete(projectId);
      this.fireActive();
    }, () => this.fireActive(), { ...options, diffs: this.diffs }));
    this.fireActive();
  }

  /** The project whose chat panel is the active editor, if any (the sync status bar follows it). */
  activeProjectId(): string | undefined {
    for (const [id, panel] of this.panels) if (panel.active) return id;
    return undefined;
  }

  /** Fires when a chat panel becomes active or inactive, or closes. */
  onDidChangeActive(listener: () => void): vscode.Disposable {
    this.activeListeners.add(listener);
    return new vscode.Disposable(() => this.activeListeners.delete(listener));
  }

  private readonly activeListeners = new Set<() => void>();

  private fireActive(): void {
    for (const l of [...this.activeListeners]) l();
  }

  async internal(args: ChatInternalArgs): Promise<ChatPanelProbe | { ok: boolean; error?: string } | undefined> {
    const panel = this.panels.get(args.projectId);
    if (!panel) return undefined;
    if (args.inject !== undefined) return panel.inject(args.inject);
    if (args.dropStreamMs !== undefined) return { ok: panel.dropStream(args.dropStreamMs) };
    if (args.reload) {
      // What a window reload does: the panel goes, VS Code recreates it and hands the serializer
      // the webview's saved state (which names the project).
      panel.dispose();
      const restored = vscode.window.createWebviewPanel(VIEW_TYPE, 'Chat', vscode.ViewColumn.Active, panelOptions(this.deps.extensionUri));
      this.restore(restored, { v: 1, activeSessionId: null, scroll: {}, drafts: {}, projectId: args.projectId });
      return { ok: this.panels.has(args.projectId) };
    }
    return panel.probe();
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    this.serializer.dispose();
    this.diffs.dispose();
  }
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: resourceRoots(WEBVIEW).map((p) => vscode.Uri.joinPath(extensionUri, ...p.split('/'))),
  };
}

function chatProject(session: HangarSession, projectId: string): ChatProject {
  const p = session.store.project(projectId);
  const status = ProjectStatusView.safeParse(p?.status);
  const desktop = p !== undefined && isDesktopTier(session.store.tier(p.tierId));
  return { id: projectId, name: p?.name ?? projectId, status: status.success ? status.data : 'not_deployed', ...(desktop ? { desktop } : {}) };
}

class ChatPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PanelChannel<ChatWebviewToHost, ChatHostToWebview>;
  private readonly controller: ChatController;
  /** created once connected to a server (a panel restored at start-up may come first) */
  private stream: EventStream<AgentStreamEvent> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly posted: ChatHostToWebview[] = [];
  private disposed = false;

  constructor(
    private readonly deps: ChatPanelDeps, private readonly projectId: string, private readonly onDisposed: () => void,
    private readonly onViewState: () => void = () => undefined, options: ChatPanelOptions = {},
  ) {
    const { extensionUri, session, log } = deps;
    const project = chatProject(session, projectId);
    this.panel = options.panel ?? vscode.window.createWebviewPanel(VIEW_TYPE, `Chat: ${project.name}`, vscode.ViewColumn.Active, panelOptions(extensionUri));
    if (options.panel) {
      this.panel.title = `Chat: ${project.name}`;
      this.panel.webview.options = panelOptions(extensionUri);
    }
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, ...ICON.split('/'));
    const webview = this.panel.webview;
    // The client is looked up per call: a panel restored at start-up exists before the connection.
    const client = { agent: <T>(...a: Parameters<typeof session.api.agent<T>>) => session.api.agent<T>(...a) };
    const memento = deps.workspaceState;
    const mentions = chatMentions(deps.mentions, client, projectId, () => session.store.project(projectId)?.repository?.url, log);
    this.mentionIndex = deps.mentions;
    this.subscriptions.push({ dispose: () => mentions.dispose() });
    this.controller = new ChatController(chatApi(client, projectId), {
      ...mentions.port,
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
      openDesktop: async () => { await vscode.commands.executeCommand('hangar.openDesktop', { id: projectId }); },
      persist: (state) => { void memento?.update(chatStateKey(projectId), state); },
      startProject: (signal) => startAndWait({
        status: () => session.store.project(projectId)?.status,
        onChange: (l) => session.store.onDidChange(l),
        start: () => session.api.startProject(projectId),
        deploy: () => session.api.deploy(projectId),
      }, signal).then(() => this.stream?.reconnectNow()),
      openDiff: async (d) => { await options.diffs?.open(projectId, d); },
      redeployProject: async () => { await vscode.commands.executeCommand('hangar.deployContainer', { id: projectId }); },
    }, project, log, {
      ...(memento ? { persisted: loadChatState(memento, projectId) } : {}),
      ...(options.sessionId ? { sessionId: options.sessionId } : {}),
    });
    this.channel = new PanelChannel(webview, {
      name: `chat ${projectId}`,
      incoming: ChatWebviewToHost,
      outgoing: ChatHostToWebview,
      log,
      handlers: this.controller.handlers,
      onReady: () => {
        void this.controller.onReady().catch((e: unknown) => log.warn(`chat ${projectId}: loading failed: ${e instanceof Error ? e.message : String(e)}`))
          .finally(() => this.flushMentions());
      },
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
      this.panel.onDidChangeViewState(() => this.onViewState()),
      this.panel.onDidDispose(() => this.dispose()),
      session.onDidChangeState((s) => { if (s.kind === 'connected') this.startStream(session, log); }),
      // A provider change reached (or could not reach) this project's agent: the model list follows.
      session.onDidReceiveEvent((e) => {
        // A saved agent file reloaded the agent (extension/agentFiles): its agents may have changed.
        if (e.type === 'workspace.changed' && e.data.projectId === projectId && e.data.agentReloaded) {
          void this.controller.agentFilesChanged()
            .catch((err: unknown) => log.warn(`chat ${projectId}: could not reload the agents: ${err instanceof Error ? err.message : String(err)}`));
          return;
        }
        if (e.type !== 'agent.config' || e.data.projectId !== projectId) return;
        void this.controller.modelsChanged({ needsRedeploy: e.data.needsRedeploy, providerId: e.data.providerId, modelId: e.data.modelId })
          .catch((err: unknown) => log.warn(`chat ${projectId}: could not reload the models: ${err instanceof Error ? err.message : String(err)}`));
      }),
    );
    this.startStream(session, log);
  }

  /** The project's relayed event stream, once there is a server to ask (again after a reconnect to another). */
  private startStream(session: HangarSession, log: Logger): void {
    if (this.disposed || session.state.kind !== 'connected') return;
    // A stopped project has no agent: no relay to hold open (the API would poll it every second).
    if (!streamsWhile(session.store.project(this.projectId)?.status)) {
      this.stopStream();
      return;
    }
    const url = session.serverUrl;
    if (this.stream && this.streamUrl === url) return;
    this.stream?.stop();
    this.streamUrl = url;
    this.stream = session.agentEventStream<AgentStreamEvent>(this.projectId, {
      parse: (data) => { const r = AgentEvent.safeParse(data); return r.success ? r.data : undefined; },
      onEvent: (e) => this.controller.onEvent(e),
      onState: (s) => this.onStreamState(s),
      onLog: (level, m) => log[level](`chat ${this.projectId} events: ${m}`),
    });
    this.stream.start();
  }

  private streamUrl: string | undefined;

  private stopStream(): void {
    if (!this.stream) return;
    this.stream.stop();
    this.stream = undefined;
    this.streamUrl = undefined;
  }

  reveal(): void { this.panel.reveal(); }

  /** Tests: cut the relayed event stream as a network failure would, and let it come back after `ms`. */
  dropStream(ms: number): boolean {
    const stream = this.stream;
    if (!stream) return false;
    stream.stop();
    this.controller.connection('reconnecting');
    setTimeout(() => { if (!this.disposed && this.stream === stream) stream.start(); }, ms);
    return true;
  }

  openSession(sessionId: string): void {
    void this.controller.openSession(sessionId).catch((e: unknown) => {
      void vscode.window.showWarningMessage(e instanceof Error ? e.message : String(e));
    });
  }

  get active(): boolean { return !this.disposed && this.panel.active; }

  private readonly pendingMentions: Mention[] = [];
  private mentionIndex: WorkspaceFileIndex | undefined;

  /** "Hangar: Use in Chat": a chip in the composer (once the webview is ready, if it is loading). */
  insertMention(mention: Mention): void {
    this.pendingMentions.push(mention);
    if (this.channel.ready) this.flushMentions();
  }

  private flushMentions(): void {
    while (this.pendingMentions.length && this.channel.ready) {
      const m: ChatHostToWebview = { type: 'chat.insertMention', mention: this.pendingMentions.shift()! };
      if (this.channel.post(m)) this.posted.push(m);
    }
  }

  probe(): ChatPanelProbe {
    return {
      title: this.panel.title,
      ready: this.channel.ready,
      readyCount: this.channel.readyCount,
      activeSessionId: this.controller.activeSession,
      stream: this.stream?.state.kind ?? 'idle',
      posted: [...this.posted],
      ...(this.mentionIndex ? { mentionIndex: { files: this.mentionIndex.size, lastBuild: this.mentionIndex.lastBuild, events: this.mentionIndex.events } } : {}),
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
    this.stream?.stop();
    this.controller.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private lastProject: string | undefined;

  private updateProject(session: HangarSession): void {
    const note = session.store.project(this.projectId)?.runtimeNotes.find((n) => n.startsWith(REDEPLOY_NOTE));
    this.controller.setNeedsRedeploy(note ? note.slice(REDEPLOY_NOTE.length).replace(/\.$/, '') : null);
    const project = chatProject(session, this.projectId);
    const key = JSON.stringify(project);
    if (key === this.lastProject) return;
    this.lastProject = key;
    this.panel.title = `Chat: ${project.name}`;
    this.startStream(session, this.deps.log);
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

/** The project statuses in which the chat holds the relayed event stream open. */
function streamsWhile(status: string | undefined): boolean {
  return status === undefined || status === 'running' || status === 'starting' || status === 'deploying';
}
