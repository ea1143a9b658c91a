// The host side of the Chat webview: one panel per project. Thin vscode adapter: the chat's logic is
// in chatController.ts (ChatController), the page and its messages in PanelHost.
import * as vscode from 'vscode';
import { AgentEvent, REDEPLOY_NOTE } from '../../backend/contract';
import { ProjectStatusView } from '../../webviews/protocol/common';
import {
  ChatHostToWebview, ChatPersistedState, ChatWebviewToHost, type ChatProject, type Mention,
} from '../../webviews/protocol/chat';
import type { EventStream, StreamState } from '../core/eventStream';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { PanelHost } from '../core/webview/panelHost';
import { PanelsByProject } from '../core/webview/panelsByProject';
import { isDesktopTier } from '../desktop/desktopModel';
import { chatStateKey, loadChatState, type ChatMemento } from './chatPersistence';
import { chatApi, ChatController, type AgentStreamEvent } from './chatController';
import { errorText } from './chatTranscript';
import { DiffDocuments } from './diffDocuments';
import { startAndWait } from './projectStarter';
import { chatMentions } from './mentions/chatMentions';
import type { WorkspaceFileIndex } from './mentions/workspaceFiles';
import type { OfflineCache } from '../core/store/offlineCache';
import type { TranscriptCache } from './chatOfflineCopy';

/** VS Code's view type of the chat panel (its serializer reopens it after a window reload). */
export const CHAT_VIEW_TYPE = 'hangarChat';

export interface ChatPanelDeps {
  session: HangarSession;
  extensionUri: vscode.Uri;
  log: Logger;
  /** where each project's session, drafts and queue survive a window reload (context.workspaceState) */
  workspaceState?: ChatMemento;
  /** the workspace's file index for @mentions (built on the first chat that opens) */
  mentions?: WorkspaceFileIndex;
  /** the offline store: each chat keeps its last transcripts there and shows them while offline */
  offline?: OfflineCache;
}

/** One project's transcripts in the offline store. */
function transcriptCache(offline: OfflineCache, projectId: string): TranscriptCache {
  return {
    ready: offline.ready,
    list: () => offline.transcripts(projectId),
    put: (sessionId, t) => offline.putTranscript(projectId, sessionId, t),
    touch: (sessionId) => offline.touchTranscript(projectId, sessionId),
  };
}

/** A restored panel (the serializer's) and the session to open. */
interface ChatPanelOptions { panel?: vscode.WebviewPanel; sessionId?: string }

/** The chat in front: its project and the session it shows. */
export interface ActiveChat { projectId: string; sessionId: string | null }

export class ChatPanels implements vscode.Disposable {
  readonly panels: PanelsByProject<ChatPanel, ChatPanelOptions>;
  private readonly diffs = new DiffDocuments();
  private readonly serializer: vscode.Disposable;
  private readonly activeListeners = new Set<() => void>();

  constructor(private readonly deps: ChatPanelDeps) {
    this.panels = new PanelsByProject((projectId, onDisposed, options) => new ChatPanel(deps, projectId, () => {
      onDisposed();
      this.fireActive();
    }, () => this.fireActive(), { ...options, diffs: this.diffs }));
    this.panels.onDidOpen(() => this.fireActive());
    // After a window reload VS Code hands back each chat panel with the webview's saved state.
    this.serializer = vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => { this.restore(panel, state); return Promise.resolve(); },
    });
  }

  /** Opens (or reveals) the project's chat; with a session id, at that session. */
  show(projectId: string, sessionId?: string): void {
    const wasOpen = this.panels.get(projectId) !== undefined;
    const panel = this.panels.show(projectId, sessionId ? { sessionId } : {});
    if (wasOpen && sessionId) panel.openSession(sessionId);
  }

  /** "Hangar: Use in Chat": opens (or reveals) the project's chat and puts the mention into its composer. */
  insertMention(projectId: string, mention: Mention): void {
    this.show(projectId);
    this.panels.get(projectId)?.insertMention(mention);
  }

  /** The projects whose chat is open. */
  openProjectIds(): string[] { return this.panels.entries().map(([id]) => id); }

  /** A panel VS Code restored: its saved state names the project; without one it cannot be a chat. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const parsed = ChatPersistedState.safeParse(state);
    const projectId = parsed.success ? parsed.data.projectId : undefined;
    if (!projectId || this.panels.get(projectId)) {
      this.deps.log.info(`chat: not restoring a panel (${projectId ? 'already open' : 'no project in its state'})`);
      panel.dispose();
      return;
    }
    this.panels.show(projectId, { panel });
  }

  /** The project whose chat panel is the active editor, if any (the sync status bar follows it). */
  activeProjectId(): string | undefined {
    return this.activeSession()?.projectId;
  }

  /** The chat that is the active editor, and the session it shows (notifications skip that session). */
  activeSession(): ActiveChat | undefined {
    for (const [projectId, panel] of this.panels.entries()) {
      if (panel.active) return { projectId, sessionId: panel.controller.activeSession };
    }
    return undefined;
  }

  /** Fires when a chat panel becomes active or inactive, or closes. */
  onDidChangeActive(listener: () => void): vscode.Disposable {
    this.activeListeners.add(listener);
    return new vscode.Disposable(() => this.activeListeners.delete(listener));
  }

  private fireActive(): void {
    for (const l of [...this.activeListeners]) l();
  }

  dispose(): void {
    this.panels.dispose();
    this.serializer.dispose();
    this.diffs.dispose();
  }
}

function chatProject(session: HangarSession, projectId: string): ChatProject {
  const p = session.store.project(projectId);
  const status = ProjectStatusView.safeParse(p?.status);
  const desktop = p !== undefined && isDesktopTier(session.store.tier(p.tierId));
  const name = p?.name ?? projectId;
  const shown = status.success ? status.data : 'not_deployed';
  return { id: projectId, name, status: shown, ...(desktop ? { desktop } : {}) };
}

export class ChatPanel {
  readonly host: PanelHost<ChatWebviewToHost, ChatHostToWebview>;
  readonly controller: ChatController;
  /** created once connected to a server (a panel restored at start-up may come first) */
  private _stream: EventStream<AgentStreamEvent> | undefined;
  private streamUrl: string | undefined;
  private readonly pendingMentions: Mention[] = [];
  private lastProject: string | undefined;

  constructor(
    private readonly deps: ChatPanelDeps, private readonly projectId: string, onDisposed: () => void,
    onViewState: () => void, options: ChatPanelOptions & { diffs?: DiffDocuments } = {},
  ) {
    const { session, log } = deps;
    const project = chatProject(session, projectId);
    // The client is looked up per call: a panel restored at start-up exists before the connection.
    const client = { agent: <T>(...a: Parameters<typeof session.api.agent<T>>) => session.api.agent<T>(...a) };
    const memento = deps.workspaceState;
    const repository = (): string | undefined => session.store.project(projectId)?.repository?.url;
    const mentions = chatMentions(deps.mentions, client, projectId, repository, log);
    this.controller = new ChatController(chatApi(client, projectId), {
      ...mentions.port,
      post: (m) => { this.host.channel.post(m); },
      confirmExternal: async (url) => {
        const open = 'Open';
        const question = `Open this external link?\n\n${url}`;
        const answer = await vscode.window.showWarningMessage(question, { modal: true }, open);
        return answer === open;
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
      }, signal).then(() => this._stream?.reconnectNow()),
      openDiff: async (d) => { await options.diffs?.open(projectId, d); },
      redeployProject: async () => {
        await vscode.commands.executeCommand('hangar.deployContainer', { id: projectId });
      },
    }, project, log, {
      ...(memento ? { persisted: loadChatState(memento, projectId) } : {}),
      ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      ...(deps.offline ? { cache: transcriptCache(deps.offline, projectId) } : {}),
    });
    this.host = new PanelHost(deps, {
      viewType: CHAT_VIEW_TYPE,
      webview: 'chat',
      title: `Chat: ${project.name}`,
      pageTitle: 'Chat',
      icon: 'media/hangar.svg',
      name: `chat ${projectId}`,
      incoming: ChatWebviewToHost,
      outgoing: ChatHostToWebview,
      handlers: this.controller.handlers,
      onReady: () => {
        void this.controller.onReady()
          .catch((e: unknown) => log.warn(`chat ${projectId}: loading failed: ${errorText(e)}`))
          .finally(() => this.flushMentions());
      },
    }, options.panel);
    this.host.onDidDispose(() => {
      this._stream?.stop();
      this.controller.dispose();
      mentions.dispose();
      onDisposed();
    });
    this.host.own(
      session.store.onDidChange(() => this.updateProject(session)),
      this.host.panel.onDidChangeViewState(() => onViewState()),
      session.onDidChangeState((s) => {
        if (s.kind !== 'connected') return;
        // The server is back: the agent's stream too, now, not at the end of its own backoff (issue #14).
        this._stream?.reconnectNow();
        this.startStream(session, log);
      }),
      // A provider change reached (or could not reach) this project's agent: the model list follows.
      session.onDidReceiveEvent((e) => {
        // A saved agent file reloaded the agent (extension/agentFiles): its agents may have changed.
        if (e.type === 'workspace.changed' && e.data.projectId === projectId && e.data.agentReloaded) {
          void this.controller.agentFilesChanged()
            .catch((err: unknown) => log.warn(`chat ${projectId}: could not reload the agents: ${err instanceof Error ? err.message : String(err)}`));
          return;
        }
        if (e.type !== 'agent.config' || e.data.projectId !== projectId) return;
        const change = { needsRedeploy: e.data.needsRedeploy, providerId: e.data.providerId, modelId: e.data.modelId };
        void this.controller.modelsChanged(change).catch((err: unknown) => {
          log.warn(`chat ${projectId}: could not reload the models: ${errorText(err)}`);
        });
      }),
    );
    this.startStream(session, log);
  }

  /** The project's relayed event stream (undefined while the project is stopped or not connected). */
  get stream(): EventStream<AgentStreamEvent> | undefined { return this._stream; }

  get active(): boolean { return this.host.active; }

  reveal(): void { this.host.reveal(); }

  dispose(): void { this.host.dispose(); }

  openSession(sessionId: string): void {
    void this.controller.openSession(sessionId).catch((e: unknown) => {
      void vscode.window.showWarningMessage(e instanceof Error ? e.message : String(e));
    });
  }

  /** "Hangar: Use in Chat": a chip in the composer (once the webview is ready, if it is loading). */
  insertMention(mention: Mention): void {
    this.pendingMentions.push(mention);
    if (this.host.channel.ready) this.flushMentions();
  }

  private flushMentions(): void {
    while (this.pendingMentions.length && this.host.channel.ready) {
      this.host.channel.post({ type: 'chat.insertMention', mention: this.pendingMentions.shift()! });
    }
  }

  /** The project's relayed event stream, once there is a server to ask (again after a reconnect to another). */
  private startStream(session: HangarSession, log: Logger): void {
    if (this.host.disposed || session.state.kind !== 'connected') return;
    // A stopped project has no agent: no relay to hold open (the API would poll it every second).
    if (!streamsWhile(session.store.project(this.projectId)?.status)) {
      this.stopStream();
      return;
    }
    const url = session.serverUrl;
    if (this._stream && this.streamUrl === url) return;
    this._stream?.stop();
    this.streamUrl = url;
    this._stream = session.agentEventStream<AgentStreamEvent>(this.projectId, {
      parse: (data) => { const r = AgentEvent.safeParse(data); return r.success ? r.data : undefined; },
      onEvent: (e) => this.controller.onEvent(e),
      onState: (s) => this.onStreamState(s),
      onLog: (level, m) => log[level](`chat ${this.projectId} events: ${m}`),
    });
    this._stream.start();
  }

  private stopStream(): void {
    if (!this._stream) return;
    this._stream.stop();
    this._stream = undefined;
    this.streamUrl = undefined;
  }

  private updateProject(session: HangarSession): void {
    const note = session.store.project(this.projectId)?.runtimeNotes.find((n) => n.startsWith(REDEPLOY_NOTE));
    this.controller.setNeedsRedeploy(note ? note.slice(REDEPLOY_NOTE.length).replace(/\.$/, '') : null);
    const project = chatProject(session, this.projectId);
    const key = JSON.stringify(project);
    if (key === this.lastProject) return;
    this.lastProject = key;
    this.host.title = `Chat: ${project.name}`;
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
