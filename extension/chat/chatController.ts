// The host side of one project's chat, without vscode: answers the webview's requests and ties the
// two halves together, the transcript (chatTranscript.ts: sessions, messages, resync) and the sending
// (promptSender.ts: queue, start-on-send); here are the model and agent choice, drafts and changes.
// The panel (chatPanel.ts) wires it to a webview; the unit tests drive it with fakes.
import type {
  ChatHostToWebview, ChatProject, ChatWebviewToHost, ConnectionState, Mention, MentionResult, ModelRef,
} from '../../webviews/protocol/chat';
import type { PanelHandlers } from '../core/webview/panelChannel';
import type { Logger } from '../core/ports';
import { sessionView, type AgentStreamEvent } from './agentEvents';
import type { ChatApi } from './chatApi';
import type { OcPromptPart } from './mentions/filePart';
import { catalogFrom, commandCall, lastChoice, type AgentCatalog } from './agentCatalog';
import { ChatChanges } from './chatChanges';
import { emptyChatState, storedQueue, type PersistedChat } from './chatPersistence';
import { ChatTranscript, errorText, TRANSCRIPT_PAGE } from './chatTranscript';
import { PromptSender } from './promptSender';
import { NEW_SESSION, type PromptQueue } from './promptQueue';
import { SessionActivity } from './sessionActivity';
import { safeUrl, sameModel } from './chatLinks';
import { ChatOfflineCopy, type TranscriptCache } from './chatOfflineCopy';

export * from './agentEvents';
export * from './chatApi';
export { TRANSCRIPT_PAGE } from './chatTranscript';

/** What the controller needs from VS Code. */
export interface ChatHostPort {
  post(message: ChatHostToWebview): void;
  /** A modal "Open this external URL?"; true to open. */
  confirmExternal(url: string): Promise<boolean>;
  openExternal(url: string): Promise<boolean>;
  copy(text: string): Promise<void>;
  /** Desktop-tier projects: runs "Hangar: Open Desktop" (the chat's button). */
  openDesktop?(): Promise<void>;
  /** Keeps the session, drafts, queue and choices across window reloads. */
  persist?(state: PersistedChat): void;
  /** Starts (or deploys) the stopped project and resolves once it runs; rejects with a sentence (failed, cancelled). */
  startProject?(signal: AbortSignal): Promise<void>;
  /** "Redeploy" on the needs-redeploy notice: deploys the project again (with the usual confirmation). */
  redeployProject?(): Promise<void>;
  /** Shows one changed file in VS Code's diff editor. */
  openDiff?(diff: { file: string; before: string; after: string; title: string }): Promise<void>;
  /**
   * @mentions (extension/chat/mentions): answers a picker query; `post` may be called twice
   * (workspace, then merged with the container's files).
   */
  mentionQuery?(seq: number, query: string, post: (items: MentionResult[]) => void): Promise<void>;
  /** @mentions: the opencode parts (file references or inline content) that carry a prompt's mentions. */
  mentionParts?(sessionId: string, mentions: Mention[]): Promise<OcPromptPart[]>;
}

export interface ChatControllerOptions {
  /** what the last window kept (chatPersistence.ts) */
  persisted?: PersistedChat;
  /** open this session (hangar.openSession) instead of the last one */
  sessionId?: string;
  now?: () => number;
  /** the project's transcripts in the offline store: shown read-only while the agent cannot be reached */
  cache?: TranscriptCache;
}

export class ChatController {
  private readonly drafts = new Map<string, string>();
  private disposed = false;
  private readonly activity: SessionActivity;
  private readonly transcript: ChatTranscript;
  private readonly sender: PromptSender;
  private catalog: AgentCatalog | undefined;
  private choice: { model?: ModelRef; agent?: string } = {};
  private requestedSessionId: string | undefined;
  private loadTimer: ReturnType<typeof setTimeout> | undefined;
  private loadAttempts = 0;
  private readying: Promise<void> | undefined;
  private needsRedeploy: string | null = null;
  private readonly changes: ChatChanges;
  private readonly copy: ChatOfflineCopy;

  constructor(
    private readonly api: ChatApi,
    private readonly port: ChatHostPort,
    private project: ChatProject,
    private readonly log: Logger,
    options: ChatControllerOptions = {},
  ) {
    const now = options.now ?? Date.now;
    const post = (m: ChatHostToWebview): void => this.post(m);
    const persist = (): void => this.persist();
    this.activity = new SessionActivity(now);
    this.transcript = new ChatTranscript({
      api, activity: this.activity, post, persist, log, projectId: project.id,
      pump: () => this.sender.queue.pump(),
      resume: () => this.sender.queue.resume(),
      onMessages: (raw, sessionId) => {
        if (!this.choice.model && !this.choice.agent) this.choice = lastChoice(raw);
        this.copy.save(sessionId, this.transcript.sessions.find((s) => s.id === sessionId)?.title, raw);
      },
    });
    this.copy = new ChatOfflineCopy({
      cache: options.cache, post, log, projectId: project.id, now,
      fetch: (sessionId) => api.messages(sessionId, TRANSCRIPT_PAGE),
      title: (sessionId) => this.transcript.sessions.find((s) => s.id === sessionId)?.title,
    });
    this.sender = new PromptSender({
      api, transcript: this.transcript, activity: this.activity, post, persist, log, now,
      project: () => this.project,
      reload: () => this.onReady(),
      model: (m) => this.usableModel(m),
      createdSession: (sessionId) => {
        const text = this.drafts.get('');
        if (text !== undefined) { this.drafts.delete(''); this.drafts.set(sessionId, text); }
      },
      ...(port.startProject ? { startProject: (signal: AbortSignal) => port.startProject!(signal) } : {}),
      ...(port.mentionParts ? { mentionParts: (s: string, m: Mention[]) => port.mentionParts!(s, m) } : {}),
      commandOf: (text) => commandCall(text, this.catalog?.commands),
    });
    this.changes = new ChatChanges({
      api, post, ...(port.openDiff ? { openDiff: (d: Parameters<typeof port.openDiff>[0]) => port.openDiff!(d) } : {}),
    });
    const p = options.persisted;
    if (p) {
      this.transcript.activeSessionId = p.activeSessionId;
      for (const [k, v] of Object.entries(p.drafts)) this.drafts.set(k, v);
      this.sender.queue.restore(p.queue);
      this.choice = { ...(p.model ? { model: p.model } : {}), ...(p.agent ? { agent: p.agent } : {}) };
    }
    this.requestedSessionId = options.sessionId;
  }

  get activeSession(): string | null { return this.transcript.activeSessionId; }
  get queue(): PromptQueue { return this.sender.queue; }

  dispose(): void {
    this.disposed = true;
    this.sender.dispose();
    this.copy.dispose();
    this.transcript.dispose();
    if (this.loadTimer) clearTimeout(this.loadTimer);
  }

  /** The agent did not answer (still warming up, stopped, unreachable): try again, backing off to 30 s. */
  private retryLoad(): void {
    if (this.disposed || this.loadTimer) return;
    const delay = Math.min(30_000, 2_000 * 2 ** this.loadAttempts++);
    this.loadTimer = setTimeout(() => {
      this.loadTimer = undefined;
      if (this.disposed || this.transcript.loaded) return;
      void this.onReady().catch((e: unknown) => this.log.warn(
        `chat ${this.project.id}: reload failed: ${errorText(e)}`,
      ));
    }, delay);
    (this.loadTimer as { unref?: () => void }).unref?.();
  }

  /** hangar.openSession on an open panel: show that session. */
  async openSession(sessionId: string): Promise<void> {
    if (!this.transcript.loaded) {
      this.requestedSessionId = sessionId;
      return;
    }
    if (!this.transcript.has(sessionId)) await this.transcript.loadSessions();
    if (!this.transcript.has(sessionId)) {
      throw new Error(`The session ${sessionId} is not in ${this.project.name} any more.`);
    }
    await this.transcript.switchTo(sessionId);
  }

  /** The webview said `ready` (first load or reload): sessions, init, transcript and status. */
  onReady(): Promise<void> {
    // One load at a time (a webview reload, a retry and a start may ask together): they share it.
    this.readying ??= this.load().finally(() => { this.readying = undefined; });
    return this.readying;
  }

  private async load(): Promise<void> {
    const catalog = this.loadCatalog();
    const t = this.transcript;
    try {
      await t.loadSessions();
      if (t.sessions.length === 0 && !this.sender.queue.headOf(NEW_SESSION)) {
        const created = await this.api.createSession();
        t.sessions = [sessionView(created)];
      }
    } catch (e) {
      // Not running, unreachable…: the webview still gets its init (and shows the project's status),
      // with the drafts and queue it had: sending starts the project.
      this.log.warn(`chat ${this.project.id}: could not load the sessions: ${errorText(e)}`);
      t.loaded = false;
      this.retryLoad();
      // The offline copy, if the store has one: the last transcripts, read-only (chatOfflineCopy.ts).
      if (this.copy.showing) return;
      await this.copy.ready;
      const shown = this.copy.pick(t.activeSessionId);
      this.post({
        type: 'chat.init', project: this.project, sessions: this.copy.sessions(), activeSessionId: shown, models: [], agents: [],
        draft: this.drafts.get(shown ?? '') ?? '', ...this.choiceFields(),
      });
      this.sender.postState();
      this.copy.show(shown);
      return;
    }
    t.loaded = true;
    this.copy.live();
    this.loadAttempts = 0;
    const requested = this.requestedSessionId;
    this.requestedSessionId = undefined;
    if (requested && t.has(requested)) t.activeSessionId = requested;
    if (!t.activeSessionId || !t.has(t.activeSessionId)) t.activeSessionId = t.sessions[0]?.id ?? null;
    const { models, agents, commands } = await catalog;
    const stale = this.dropStaleChoice();
    this.post({
      type: 'chat.init', project: this.project, sessions: t.sessions, activeSessionId: t.activeSessionId,
      models, agents, ...(commands ? { commands } : {}), draft: this.drafts.get(t.activeSessionId ?? '') ?? '', ...this.choiceFields(),
    });
    if (stale) this.postModels(stale);
    this.sender.postState();
    this.persist();
    await t.send();
    await this.sender.queue.resume();
  }

  setProject(project: ChatProject): void {
    const wasRunning = this.project.status === 'running';
    this.project = project;
    this.post({ type: 'chat.project', project });
    // Up again (started from here or elsewhere): load what could not be loaded, then send what waits.
    if (!wasRunning && project.status === 'running') {
      void (this.transcript.loaded ? this.resync() : this.onReady())
        .catch((e: unknown) => this.log.warn(`chat ${project.id}: reload after start failed: ${errorText(e)}`));
    }
  }

  connection(state: ConnectionState): void {
    this.post({ type: 'chat.connection', state });
    // Back: what waits in the outbox goes now, in order, without a click; a panel whose load failed loads
    // again. Not a panel still waiting for its webview's first `ready`: that load posts the init.
    if (state !== 'connected') return;
    if (this.transcript.loaded) void this.sender.queue.resume();
    else if (this.loadAttempts > 0) void this.onReady();
  }

  /** An event from the project's relayed stream. */
  onEvent(event: AgentStreamEvent): void {
    this.transcript.onEvent(event);
    this.copy.noteEvent(event);
  }

  /** After a gap (resync event or a reconnect): the transcript and status again, over REST. */
  resync(): Promise<void> {
    return this.transcript.resync();
  }

  /** The agent reloaded its config files (`workspace.changed` with agentReloaded): its agent list again. */
  async agentFilesChanged(): Promise<void> {
    // The agent rebuilds its instance on the first request after the reload: until then it may fail or time out.
    for (let attempt = 0; attempt < 6; attempt++) {
      this.catalog = undefined;
      if (this.project.status !== 'running') return;
      if ((await this.loadCatalog()).models.length) break;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
    this.postModels(this.dropStaleChoice(), true);
    this.persist();
  }

  /**
   * The agent's provider changed (`agent.config` on the user's event stream): its model list again,
   * and the choice moved to its default when the agent no longer has it.
   */
  async modelsChanged(
    change: { needsRedeploy: string | null; providerId?: string | null; modelId?: string | null },
  ): Promise<void> {
    this.needsRedeploy = change.needsRedeploy;
    this.catalog = undefined;
    if (this.project.status !== 'running') return;
    const catalog = await this.loadCatalog();
    // opencode's own "default" is its pick among a provider's models; the one the user set is Hangar's.
    const { providerId, modelId } = change;
    const known = catalog.models.some((m) => m.providerId === providerId && m.modelId === modelId);
    if (!change.needsRedeploy && providerId && modelId && known) {
      catalog.defaultModel = { providerId, modelId };
      if (this.choice.model && this.choice.model.providerId !== providerId) delete this.choice.model;
    }
    this.postModels(this.dropStaleChoice());
    this.persist();
  }

  /** The project's row says its agent needs a redeploy for a provider change (or no longer does). */
  setNeedsRedeploy(why: string | null): void {
    if (why === this.needsRedeploy) return;
    this.needsRedeploy = why;
    this.postModels(undefined);
  }

  readonly handlers: PanelHandlers<ChatWebviewToHost> = {
    // Every prompt goes through the queue: sent at once when its session is idle and the project
    // runs, otherwise kept (visible, persisted) until it can be; one that fails stays with its error.
    'chat.send': async (m) => {
      this.choice = { ...(m.model ? { model: m.model } : {}), ...(m.agent ? { agent: m.agent } : {}) };
      this.drafts.delete(m.sessionId ?? '');
      const sessionId = m.sessionId ?? NEW_SESSION;
      await this.sender.send({ sessionId, text: m.text, mentions: m.mentions, ...this.choice });
    },
    'chat.abort': async (m) => { await this.api.abort(m.sessionId); },
    'chat.redeploy': async () => { await this.port.redeployProject?.(); },
    'chat.start': () => { this.sender.startNow(); },
    'chat.permissionReply': async (m) => { await this.api.replyPermission(m.permissionId, m.reply); },
    'chat.newSession': async () => {
      const created = await this.api.createSession();
      this.transcript.upsert(sessionView(created));
      await this.transcript.switchTo(created.id);
    },
    'chat.switchSession': async (m) => {
      if (this.copy.switchTo(m.sessionId)) return;
      if (!this.transcript.has(m.sessionId)) throw new Error('No such session.');
      await this.transcript.switchTo(m.sessionId);
    },
    'chat.renameSession': async (m) => {
      this.transcript.upsert(sessionView(await this.api.renameSession(m.sessionId, m.title)));
    },
    'chat.deleteSession': async (m) => {
      await this.api.deleteSession(m.sessionId);
      this.drafts.delete(m.sessionId);
      this.sender.queue.dropSession(m.sessionId);
      this.activity.forget(m.sessionId);
      await this.transcript.remove(m.sessionId);
    },
    'chat.loadOlder': async (m) => { await this.transcript.loadOlder(m.sessionId); },
    'chat.queue.edit': (m) => { this.sender.queue.edit(m.id, m.text); },
    'chat.queue.cancel': (m) => { this.sender.queue.cancel(m.id); },
    'chat.queue.retry': async (m) => { await this.sender.retry(m.id); },
    'chat.start.cancel': () => { this.sender.cancelStart(); },
    'chat.changes.load': async (m) => { await this.changes.load(m.sessionId); },
    'chat.changes.open': async (m) => { await this.changes.open(m.sessionId, m.file); },
    'chat.draft': (m) => {
      if (m.text) this.drafts.set(m.sessionId ?? '', m.text); else this.drafts.delete(m.sessionId ?? '');
      this.persist();
    },
    'chat.openLink': async (m) => {
      const url = safeUrl(m.url);
      if (!url) throw new Error('Only http(s) and mailto links can be opened.');
      if (!(await this.port.confirmExternal(url))) return;
      if (!(await this.port.openExternal(url))) throw new Error(`Could not open ${url}`);
    },
    'chat.copy': async (m) => { await this.port.copy(m.text); },
    'chat.openDesktop': async () => { await this.port.openDesktop?.(); },
    'chat.mentionQuery': async (m) => {
      if (!this.port.mentionQuery) { this.post({ type: 'chat.mentionResults', seq: m.seq, items: [] }); return; }
      const answer = (items: MentionResult[]): void => this.post({ type: 'chat.mentionResults', seq: m.seq, items });
      await this.port.mentionQuery(m.seq, m.query, answer);
    },
  };

  // ── Models and agents ─────────────────────────────────────────────────────────────────────────

  private postModels(notice: string | undefined, withAgents = false): void {
    const { model } = this.choiceFields();
    const why = this.needsRedeploy;
    this.post({
      type: 'chat.models', models: this.catalog?.models ?? [],
      ...(model ? { model } : {}), ...(notice ? { notice } : {}),
      ...(withAgents ? { agents: this.catalog?.agents ?? [], commands: this.catalog?.commands ?? [] } : {}),
      ...(why ? { needsRedeploy: `This project needs a redeploy for its provider change: ${why}.` } : {}),
    });
  }

  /**
   * A chosen model the agent does not have (a provider change, a reopened chat after a redeploy)
   * would fail the turn: forget it, so the agent's default is used, and say so.
   */
  private dropStaleChoice(): string | undefined {
    const chosen = this.choice.model;
    const models = this.catalog?.models;
    if (!chosen || !models?.length) return undefined;
    if (models.some((m) => m.providerId === chosen.providerId && m.modelId === chosen.modelId)) return undefined;
    delete this.choice.model;
    const now = this.choiceFields().model;
    const name = now
      ? models.find((m) => sameModel(m, now))?.name ?? `${now.providerId}/${now.modelId}`
      : 'its default';
    return `${chosen.providerId}/${chosen.modelId} is not available on this agent any more: using ${name}.`;
  }

  /** A queued prompt's model when the agent has it; otherwise none (the agent's default), said once in the chat. */
  private usableModel(model: ModelRef | undefined): ModelRef | undefined {
    const models = this.catalog?.models;
    if (!model || !models?.length || models.some((m) => sameModel(m, model))) return model;
    if (this.choice.model?.providerId === model.providerId && this.choice.model.modelId === model.modelId) {
      this.postModels(this.dropStaleChoice());
    }
    return this.choiceFields().model;
  }

  private loadCatalog(): Promise<AgentCatalog> {
    if (this.catalog && this.catalog.models.length) return Promise.resolve(this.catalog);
    const providers = this.api.providers().catch(() => undefined);
    const commands = this.api.commands().catch(() => undefined);
    return Promise.all([providers, this.api.agents().catch(() => undefined), commands]).then(([p, a, c]) => {
      this.catalog = catalogFrom(p, a, c);
      return this.catalog;
    });
  }

  /** The model and agent the pickers start on: the user's last choice, else the agent's defaults. */
  private choiceFields(): { model?: ModelRef; agent?: string } {
    const model = this.choice.model ?? this.catalog?.defaultModel;
    const agent = this.choice.agent ?? this.catalog?.defaultAgent;
    return { ...(model ? { model } : {}), ...(agent ? { agent } : {}) };
  }

  private persist(): void {
    if (this.disposed || !this.port.persist) return;
    this.port.persist({
      ...emptyChatState(),
      activeSessionId: this.transcript.activeSessionId,
      drafts: Object.fromEntries(this.drafts),
      queue: storedQueue(this.sender.queue.items),
      ...(this.choice.model ? { model: this.choice.model } : {}),
      ...(this.choice.agent ? { agent: this.choice.agent } : {}),
    });
  }

  private post(message: ChatHostToWebview): void {
    if (!this.disposed) this.port.post(message);
  }
}
