// The host side of one project's chat, without vscode: talks to the agent proxy through ChatApi,
// turns the relayed opencode events into part-level chat.* messages and answers the webview's
// requests. The panel (chatPanel.ts) wires it to a webview; the unit tests drive it with fakes.
import type {
  ChatHostToWebview, ChatProject, ChatSession as ChatSessionView, ChatStarting, ChatStatus, ChatWebviewToHost,
  ConnectionState, Mention, MentionResult, ModelRef,
} from '../../webviews/protocol';
import type { PanelHandlers } from '../core/webview/panelChannel';
import type { Logger } from '../core/ports';
import { messageView, permissionView, sessionView, statusView, translateEvent, type AgentStreamEvent } from './agentEvents';
import type { ChatApi, PromptBody } from './chatApi';
import type { OcPromptPart } from './mentions/filePart';
import { catalogFrom, lastChoice, type AgentCatalog } from './agentCatalog';
import { emptyChatState, storedQueue, type PersistedChat } from './chatPersistence';
import { LiveParts } from './liveParts';
import { NEW_SESSION, NotYet, PromptQueue, queueView, Transient, type QueueItem } from './promptQueue';
import { isPassing } from '../core/outbox/passingFailure';
import { retryDelayMs } from '../core/outbox/retryDelay';
import { AWAIT_BUSY_MS, SessionActivity } from './sessionActivity';
import { changedFileView, diffSides, type FileDiff } from './sessionDiff';

export * from './agentEvents';
export * from './chatApi';

// ── The controller ───────────────────────────────────────────────────────────────────────────────

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
  /** Starts (or deploys) the stopped project and resolves once it runs; rejects with a sentence when it fails or is cancelled. */
  startProject?(signal: AbortSignal): Promise<void>;
  /** "Redeploy" on the needs-redeploy notice: deploys the project again (with the usual confirmation). */
  redeployProject?(): Promise<void>;
  /** Shows one changed file in VS Code's diff editor. */
  openDiff?(diff: { file: string; before: string; after: string; title: string }): Promise<void>;
  /** @mentions (extension/chat/mentions): answers a picker query; `post` may be called twice (workspace, then merged with the container's files). */
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
}

/** Messages per transcript page: a long session opens with its newest ones. */
export const TRANSCRIPT_PAGE = 200;

export class ChatController {
  private sessions: ChatSessionView[] = [];
  private activeSessionId: string | null = null;
  private readonly drafts = new Map<string, string>();
  private disposed = false;
  private resyncing: Promise<void> | undefined;
  /** the sessions were loaded from the agent at least once (false while the project is stopped) */
  private loaded = false;
  private readonly activity: SessionActivity;
  readonly queue: PromptQueue;
  private catalog: AgentCatalog | undefined;
  private choice: { model?: ModelRef; agent?: string } = {};
  private starting: { abort: AbortController; state: ChatStarting } | undefined;
  private startFailure: ChatStarting = null;
  private requestedSessionId: string | undefined;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private loadTimer: ReturnType<typeof setTimeout> | undefined;
  private loadAttempts = 0;
  /** how many of the newest messages of each session the webview has (a resync re-reads as many) */
  private readonly loadedCount = new Map<string, number>();
  /** parts still streaming, as far as they streamed (liveParts.ts) */
  private readonly live = new LiveParts();
  /** the last diff read per session, for opening its files */
  private readonly diffs = new Map<string, FileDiff[]>();

  constructor(
    private readonly api: ChatApi,
    private readonly port: ChatHostPort,
    private project: ChatProject,
    private readonly log: Logger,
    options: ChatControllerOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.activity = new SessionActivity(now);
    this.queue = new PromptQueue({
      canSend: (sessionId) => this.canSend(sessionId),
      deliver: (item) => this.deliver(item),
      changed: (items) => {
        this.post({ type: 'chat.queue', items: queueView(items) });
        this.persist();
      },
    }, now);
    const p = options.persisted;
    if (p) {
      this.activeSessionId = p.activeSessionId;
      for (const [k, v] of Object.entries(p.drafts)) this.drafts.set(k, v);
      this.queue.restore(p.queue);
      this.choice = { ...(p.model ? { model: p.model } : {}), ...(p.agent ? { agent: p.agent } : {}) };
    }
    this.requestedSessionId = options.sessionId;
  }

  get activeSession(): string | null { return this.activeSessionId; }

  dispose(): void {
    this.disposed = true;
    this.queue.dispose();
    this.starting?.abort.abort();
    if (this.staleTimer) clearTimeout(this.staleTimer);
    if (this.loadTimer) clearTimeout(this.loadTimer);
  }

  /** The agent did not answer (still warming up, stopped, unreachable): try again, backing off to 30 s. */
  private retryLoad(): void {
    if (this.disposed || this.loadTimer) return;
    const delay = Math.min(30_000, 2_000 * 2 ** this.loadAttempts++);
    this.loadTimer = setTimeout(() => {
      this.loadTimer = undefined;
      if (this.disposed || this.loaded) return;
      void this.onReady().catch((e: unknown) => this.log.warn(`chat ${this.project.id}: reload failed: ${errorText(e)}`));
    }, delay);
    (this.loadTimer as { unref?: () => void }).unref?.();
  }

  /** hangar.openSession on an open panel: show that session. */
  async openSession(sessionId: string): Promise<void> {
    if (!this.loaded) {
      this.requestedSessionId = sessionId;
      return;
    }
    if (!this.sessions.some((s) => s.id === sessionId)) await this.loadSessions();
    if (!this.sessions.some((s) => s.id === sessionId)) throw new Error(`The session ${sessionId} is not in ${this.project.name} any more.`);
    await this.switchTo(sessionId);
  }

  /** The webview said `ready` (first load or reload): sessions, init, transcript and status. */
  onReady(): Promise<void> {
    // One load at a time (a webview reload, a retry and a start may ask together): they share it.
    this.readying ??= this.load().finally(() => { this.readying = undefined; });
    return this.readying;
  }

  private readying: Promise<void> | undefined;

  private async load(): Promise<void> {
    const catalog = this.loadCatalog();
    try {
      await this.loadSessions();
      if (this.sessions.length === 0 && !this.queue.headOf(NEW_SESSION)) {
        const created = await this.api.createSession();
        this.sessions = [sessionView(created)];
      }
    } catch (e) {
      // Not running, unreachable…: the webview still gets its init (and shows the project's status),
      // with the drafts and queue it had: sending starts the project.
      this.log.warn(`chat ${this.project.id}: could not load the sessions: ${errorText(e)}`);
      this.loaded = false;
      this.retryLoad();
      this.post({ type: 'chat.init', project: this.project, sessions: [], activeSessionId: null, models: [], agents: [], draft: this.drafts.get('') ?? '', ...this.choiceFields() });
      this.postExtras();
      return;
    }
    this.loaded = true;
    this.loadAttempts = 0;
    const requested = this.requestedSessionId;
    this.requestedSessionId = undefined;
    if (requested && this.sessions.some((s) => s.id === requested)) this.activeSessionId = requested;
    if (!this.activeSessionId || !this.sessions.some((s) => s.id === this.activeSessionId)) this.activeSessionId = this.sessions[0]?.id ?? null;
    const { models, agents } = await catalog;
    const stale = this.dropStaleChoice();
    this.post({
      type: 'chat.init', project: this.project, sessions: this.sessions, activeSessionId: this.activeSessionId,
      models, agents, draft: this.drafts.get(this.activeSessionId ?? '') ?? '', ...this.choiceFields(),
    });
    if (stale) this.postModels(stale);
    this.postExtras();
    this.persist();
    await this.sendTranscript();
    await this.queue.resume();
  }

  setProject(project: ChatProject): void {
    const wasRunning = this.project.status === 'running';
    this.project = project;
    this.post({ type: 'chat.project', project });
    // Up again (started from here or elsewhere): load what could not be loaded, then send what waits.
    if (!wasRunning && project.status === 'running') {
      void (this.loaded ? this.resync() : this.onReady()).catch((e: unknown) => this.log.warn(`chat ${project.id}: reload after start failed: ${errorText(e)}`));
    }
  }

  connection(state: ConnectionState): void {
    this.post({ type: 'chat.connection', state });
    // Back: what waits in the outbox goes now, in order, without a click.
    if (state === 'connected') void this.queue.resume();
  }

  /** An event from the project's relayed stream. */
  onEvent(event: AgentStreamEvent): void {
    const t = translateEvent(event, this.activeSessionId);
    switch (t.kind) {
      case 'post':
        this.live.track(t.message);
        if (t.message.type === 'chat.status' && this.activity.onStatus(t.sessionId, t.message.status.type)) void this.queue.pump();
        if (t.sessionId === this.activeSessionId) this.post(t.message);
        return;
      case 'resync':
        void this.resync();
        return;
      case 'sessions':
        if (t.upsert) {
          const view = sessionView(t.upsert);
          const i = this.sessions.findIndex((s) => s.id === view.id);
          if (i >= 0) this.sessions[i] = view; else this.sessions.unshift(view);
        }
        if (t.remove) this.sessions = this.sessions.filter((s) => s.id !== t.remove);
        this.postSessions();
        return;
      case 'ignore':
        return;
    }
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
  async modelsChanged(change: { needsRedeploy: string | null; providerId?: string | null; modelId?: string | null }): Promise<void> {
    this.needsRedeploy = change.needsRedeploy;
    this.catalog = undefined;
    if (this.project.status !== 'running') return;
    const catalog = await this.loadCatalog();
    // opencode's own "default" is its pick among a provider's models; the one the user set is Hangar's.
    const { providerId, modelId } = change;
    if (!change.needsRedeploy && providerId && modelId && catalog.models.some((m) => m.providerId === providerId && m.modelId === modelId)) {
      catalog.defaultModel = { providerId, modelId };
      if (this.choice.model && this.choice.model.providerId !== providerId) delete this.choice.model;
    }
    this.postModels(this.dropStaleChoice());
    this.persist();
  }

  private needsRedeploy: string | null = null;

  /** The project's row says its agent needs a redeploy for a provider change (or no longer does). */
  setNeedsRedeploy(why: string | null): void {
    if (why === this.needsRedeploy) return;
    this.needsRedeploy = why;
    this.postModels(undefined);
  }

  private postModels(notice: string | undefined, withAgents = false): void {
    const { model } = this.choiceFields();
    this.post({
      type: 'chat.models', models: this.catalog?.models ?? [], ...(model ? { model } : {}), ...(notice ? { notice } : {}),
      ...(withAgents ? { agents: this.catalog?.agents ?? [] } : {}),
      ...(this.needsRedeploy ? { needsRedeploy: `This project needs a redeploy for its provider change: ${this.needsRedeploy}.` } : {}),
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
    const name = now ? models.find((m) => m.providerId === now.providerId && m.modelId === now.modelId)?.name ?? `${now.providerId}/${now.modelId}` : 'its default';
    return `${chosen.providerId}/${chosen.modelId} is not available on this agent any more: using ${name}.`;
  }

  /** After a gap (resync event or a reconnect): the transcript and status again, over REST. */
  resync(): Promise<void> {
    this.resyncing ??= (async () => {
      try {
        await this.loadSessions();
        this.postSessions();
        await this.sendTranscript();
        await this.resendPermissions();
        await this.queue.resume();
        this.resyncFailures = 0;
      } catch (e) {
        this.log.warn(`chat ${this.project.id}: resync failed: ${errorText(e)}`);
        // Until a resync succeeds the session statuses may be stale (a lost idle): the queue would wait forever.
        if (!this.disposed) setTimeout(() => { if (!this.disposed) void this.resync(); }, retryDelayMs(++this.resyncFailures)).unref?.();
      } finally {
        this.resyncing = undefined;
      }
    })();
    return this.resyncing;
  }

  private resyncFailures = 0;

  readonly handlers: PanelHandlers<ChatWebviewToHost> = {
    // Every prompt goes through the queue: sent at once when its session is idle and the project
    // runs, otherwise kept (visible, persisted) until it can be; one that fails stays with its error.
    'chat.send': async (m) => {
      this.choice = { ...(m.model ? { model: m.model } : {}), ...(m.agent ? { agent: m.agent } : {}) };
      const sessionId = m.sessionId ?? NEW_SESSION;
      this.drafts.delete(m.sessionId ?? '');
      this.queue.add({ sessionId, text: m.text, mentions: m.mentions, ...this.choice });
      this.ensureRunning();
      await this.queue.pump();
    },
    'chat.abort': async (m) => { await this.api.abort(m.sessionId); },
    'chat.redeploy': async () => { await this.port.redeployProject?.(); },
    'chat.start': () => { this.startNow(); },
    'chat.permissionReply': async (m) => { await this.api.replyPermission(m.permissionId, m.reply); },
    'chat.newSession': async () => {
      const created = await this.api.createSession();
      this.upsertSession(sessionView(created));
      await this.switchTo(created.id);
    },
    'chat.switchSession': async (m) => {
      if (!this.sessions.some((s) => s.id === m.sessionId)) throw new Error('No such session.');
      await this.switchTo(m.sessionId);
    },
    'chat.renameSession': async (m) => {
      const renamed = await this.api.renameSession(m.sessionId, m.title);
      this.upsertSession(sessionView(renamed));
    },
    'chat.deleteSession': async (m) => {
      await this.api.deleteSession(m.sessionId);
      this.sessions = this.sessions.filter((s) => s.id !== m.sessionId);
      this.drafts.delete(m.sessionId);
      this.queue.dropSession(m.sessionId);
      this.activity.forget(m.sessionId);
      if (this.activeSessionId === m.sessionId) {
        this.activeSessionId = this.sessions[0]?.id ?? null;
        this.postSessions();
        await this.sendTranscript();
      } else {
        this.postSessions();
      }
    },
    // The newest PAGE messages come first; scrolling up asks for the next page (opencode's list takes a
    // limit and answers the newest: the older part is what the last answer did not have).
    'chat.loadOlder': async (m) => {
      if (m.sessionId !== this.activeSessionId) return;
      const loaded = this.loadedCount.get(m.sessionId) ?? 0;
      const limit = loaded + TRANSCRIPT_PAGE;
      const raw = await this.api.messages(m.sessionId, limit);
      if (this.activeSessionId !== m.sessionId) return;
      this.loadedCount.set(m.sessionId, Math.max(loaded, raw.length));
      const older = raw.slice(0, Math.max(0, raw.length - loaded)).flatMap((x) => { const v = messageView(x); return v ? [v] : []; });
      this.post({ type: 'chat.transcript', sessionId: m.sessionId, messages: older, replace: false, hasOlder: raw.length >= limit });
    },
    'chat.queue.edit': (m) => { this.queue.edit(m.id, m.text); },
    'chat.queue.cancel': (m) => { this.queue.cancel(m.id); },
    'chat.queue.retry': async (m) => {
      if (!this.queue.retry(m.id)) return;
      this.ensureRunning();
      await this.queue.pump();
    },
    'chat.start.cancel': () => { this.starting?.abort.abort(); },
    'chat.changes.load': async (m) => { await this.loadChanges(m.sessionId); },
    'chat.changes.open': async (m) => {
      if (!this.diffs.has(m.sessionId)) await this.loadChanges(m.sessionId);
      const d = this.diffs.get(m.sessionId)?.find((x) => x.file === m.file);
      if (!d) throw new Error(`${m.file} is not among the session's changes any more.`);
      if (!this.port.openDiff) throw new Error('This window cannot show diffs.');
      const current = d.status === 'deleted' ? undefined : await this.api.fileContent(d.file).catch(() => undefined);
      const sides = diffSides(d, current);
      const label = d.status === 'added' ? 'added' : d.status === 'deleted' ? 'deleted' : sides.partial ? 'changed parts' : 'session changes';
      await this.port.openDiff({ file: d.file, before: sides.before, after: sides.after, title: `${d.file} (${label})` });
    },
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
      await this.port.mentionQuery(m.seq, m.query, (items) => this.post({ type: 'chat.mentionResults', seq: m.seq, items }));
    },
  };

  private async switchTo(sessionId: string): Promise<void> {
    this.activeSessionId = sessionId;
    this.postSessions();
    this.persist();
    await this.sendTranscript();
  }

  // ── Queue, start, catalog, changes ────────────────────────────────────────────────────────────

  private canSend(sessionId: string): boolean {
    // `loaded`: the agent answered (the store's project status may lag behind the agent's).
    if (!this.loaded) return false;
    return sessionId === NEW_SESSION || this.activity.isIdle(sessionId);
  }

  /** Sends one queued prompt (creating its session first when it starts one). */
  private async deliver(item: QueueItem): Promise<string> {
    let sessionId = item.sessionId;
    if (sessionId === NEW_SESSION) {
      const created = await this.api.createSession().catch((e: unknown) => {
        if (isPassing(e)) throw new Transient(`Not sent yet: could not create a session (${errorText(e)}). It is sent by itself when the agent is back.`, { cause: e });
        throw new Error(`Not sent: could not create a session (${errorText(e)}). Retry when the agent is reachable.`, { cause: e });
      });
      this.upsertSession(sessionView(created));
      sessionId = created.id;
      // A resend after a failure goes to this session, not to yet another new one.
      item.sessionId = sessionId;
      const text = this.drafts.get('');
      if (text !== undefined) { this.drafts.delete(''); this.drafts.set(sessionId, text); }
      await this.switchTo(sessionId);
    }
    const body = await this.promptBody(sessionId, item);
    if (item.messageId) body.messageID = item.messageId;
    this.activity.sent(sessionId);
    try {
      await this.api.promptAsync(sessionId, body, item.idempotencyKey);
    } catch (e) {
      this.activity.unsent(sessionId);
      // The key was used for this prompt as first written (then edited): the agent has that one.
      if ((e as { code?: unknown }).code === 'idempotency_key_reused') return sessionId;
      if ((e as { code?: unknown }).code === 'project_not_running') {
        // Stopped since the panel opened: start it; the prompt waits (without an error) meanwhile.
        this.loaded = false;
        setTimeout(() => this.ensureRunning(), 0);
        throw new NotYet('the project is not running');
      }
      if (isPassing(e)) throw new Transient(`Not sent yet: ${errorText(e)}. It is sent by itself when the API and the agent are back.`, { cause: e });
      throw new Error(`Not sent: ${errorText(e)}. It stays queued: Retry when the agent is reachable.`, { cause: e });
    }
    this.watchStale();
    return sessionId;
  }

  /** The prompt as opencode takes it. */
  private async promptBody(sessionId: string, item: QueueItem): Promise<PromptBody> {
    // Each mention also travels as a `file` part (or inline content) after the text: extension/chat/mentions.
    const mentionParts = item.mentions.length && this.port.mentionParts ? await this.port.mentionParts(sessionId, item.mentions) : [];
    const body: PromptBody = { parts: [{ type: 'text', text: item.text }, ...mentionParts] };
    const model = this.usableModel(item.model);
    if (model) body.model = { providerID: model.providerId, modelID: model.modelId };
    if (item.agent) body.agent = item.agent;
    return body;
  }

  /** A queued prompt's model when the agent has it; otherwise none (the agent's default), said once in the chat. */
  private usableModel(model: ModelRef | undefined): ModelRef | undefined {
    const models = this.catalog?.models;
    if (!model || !models?.length || models.some((m) => m.providerId === model.providerId && m.modelId === model.modelId)) return model;
    if (this.choice.model?.providerId === model.providerId && this.choice.model.modelId === model.modelId) this.postModels(this.dropStaleChoice());
    return this.choiceFields().model;
  }

  /** A prompt was accepted but its busy never came (a dropped event): the REST status decides. */
  private watchStale(): void {
    if (this.staleTimer) return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      if (this.disposed || !this.activity.stale()) return;
      void this.api.statuses().then((raw) => {
        this.activity.onSnapshot(statusTypes(raw), this.sessions.map((s) => s.id));
        return this.queue.pump();
      }).catch((e: unknown) => this.log.warn(`chat ${this.project.id}: status check failed: ${errorText(e)}`));
    }, AWAIT_BUSY_MS + 500);
    (this.staleTimer as { unref?: () => void }).unref?.();
  }

  /** A prompt waits and the project is not running: start it (once), with progress in the panel. */
  private ensureRunning(): void {
    if (this.loaded || this.starting || !this.port.startProject || this.queue.items.length === 0) return;
    if (this.project.status === 'running') {
      // Running, but the agent did not answer when the panel opened: try again rather than start it.
      void this.onReady().catch((e: unknown) => this.log.warn(`chat ${this.project.id}: reload failed: ${errorText(e)}`));
      return;
    }
    this.startNow();
  }

  /** "Start" on the stopped banner, or a prompt that waits: starts the project with progress in the panel. */
  private startNow(): void {
    if (this.starting || !this.port.startProject || this.project.status === 'running') return;
    const abort = new AbortController();
    const waiting = this.queue.items.length > 0 ? ' your message is sent once the agent is up.' : '';
    const state: ChatStarting = { phase: 'starting', message: `Starting ${this.project.name}…${waiting}` };
    this.starting = { abort, state };
    this.startFailure = null;
    this.postStarting();
    this.port.startProject(abort.signal).then(
      () => {
        this.starting = undefined;
        this.postStarting();
      },
      (e: unknown) => {
        this.starting = undefined;
        const cancelled = abort.signal.aborted;
        const reason = cancelled ? 'Start cancelled: Retry sends it (and starts the project again).' : `${errorText(e)} Retry sends it (and starts the project again).`;
        this.queue.fail(reason);
        this.startFailure = cancelled ? null : { phase: 'failed', message: `Could not start ${this.project.name}: ${errorText(e)}` };
        this.postStarting();
      },
    );
  }

  private postStarting(): void {
    this.post({ type: 'chat.starting', starting: this.starting?.state ?? this.startFailure });
  }

  /** The queue and the start state, after an init (the webview's store starts empty). */
  private postExtras(): void {
    this.post({ type: 'chat.queue', items: queueView(this.queue.items) });
    this.postStarting();
  }

  private loadCatalog(): Promise<AgentCatalog> {
    if (this.catalog && this.catalog.models.length) return Promise.resolve(this.catalog);
    return Promise.all([this.api.providers().catch(() => undefined), this.api.agents().catch(() => undefined)]).then(([p, a]) => {
      this.catalog = catalogFrom(p, a);
      return this.catalog;
    });
  }

  /** The model and agent the pickers start on: the user's last choice, else the agent's defaults. */
  private choiceFields(): { model?: ModelRef; agent?: string } {
    const model = this.choice.model ?? this.catalog?.defaultModel;
    const agent = this.choice.agent ?? this.catalog?.defaultAgent;
    return { ...(model ? { model } : {}), ...(agent ? { agent } : {}) };
  }

  private async loadChanges(sessionId: string): Promise<void> {
    try {
      let files = await this.api.sessionDiff(sessionId);
      let source: 'session' | 'workspace' = 'session';
      if (files.length === 0) {
        // opencode records a session's diff only with its snapshots; without them, the workspace's git changes.
        files = await this.api.workspaceDiff().catch(() => []);
        source = 'workspace';
      }
      this.diffs.set(sessionId, files);
      this.post({ type: 'chat.changes', sessionId, files: files.map(changedFileView), source });
    } catch (e) {
      this.post({ type: 'chat.changes', sessionId, files: [], source: 'session', error: `Could not read the changes: ${errorText(e)}` });
      throw e;
    }
  }

  /** Pending permission requests of the open session, again (one may have been asked during a gap). */
  private async resendPermissions(): Promise<void> {
    const raw = await this.api.permissions().catch(() => [] as unknown[]);
    for (const r of raw) {
      const request = permissionView(r);
      if (request && request.sessionId === this.activeSessionId) this.post({ type: 'chat.permission', request });
    }
  }

  private persist(): void {
    if (this.disposed || !this.port.persist) return;
    this.port.persist({
      ...emptyChatState(),
      activeSessionId: this.activeSessionId,
      drafts: Object.fromEntries(this.drafts),
      queue: storedQueue(this.queue.items),
      ...(this.choice.model ? { model: this.choice.model } : {}),
      ...(this.choice.agent ? { agent: this.choice.agent } : {}),
    });
  }

  private upsertSession(view: ChatSessionView): void {
    const i = this.sessions.findIndex((s) => s.id === view.id);
    if (i >= 0) this.sessions[i] = view; else this.sessions.unshift(view);
    this.postSessions();
  }

  private async loadSessions(): Promise<void> {
    const list = await this.api.sessions();
    this.sessions = list.map(sessionView).sort((a, b) => b.updated - a.updated);
  }

  private async sendTranscript(): Promise<void> {
    const sessionId = this.activeSessionId;
    if (!sessionId) return;
    const limit = Math.max(TRANSCRIPT_PAGE, this.loadedCount.get(sessionId) ?? 0);
    const [raw, statuses] = await Promise.all([this.api.messages(sessionId, limit), this.api.statuses().catch(() => ({} as Record<string, unknown>))]);
    this.loadedCount.set(sessionId, raw.length);
    this.activity.onSnapshot(statusTypes(statuses), this.sessions.map((s) => s.id));
    if (!this.choice.model && !this.choice.agent) this.choice = lastChoice(raw);
    if (this.activeSessionId !== sessionId) return; // switched meanwhile
    const messages = this.live.patch(raw.flatMap((m) => { const v = messageView(m); return v ? [v] : []; }));
    if (messages.length !== raw.length) this.log.warn(`chat ${this.project.id}: ${raw.length - messages.length} message(s) did not match and were left out`);
    this.post({ type: 'chat.transcript', sessionId, messages, replace: true, hasOlder: raw.length >= limit });
    this.post({ type: 'chat.status', sessionId, status: statusView(statuses[sessionId]) ?? { type: 'idle' } });
  }

  private postSessions(): void {
    this.post({ type: 'chat.sessions', sessions: this.sessions, activeSessionId: this.activeSessionId });
  }

  private post(message: ChatHostToWebview): void {
    if (!this.disposed) this.port.post(message);
  }
}

/** http(s) and mailto only; anything else (javascript:, command:, file:) is refused. */
export function safeUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** GET /session/status → sessionID → status type (malformed entries left out). */
function statusTypes(raw: Record<string, unknown>): Record<string, ChatStatus['type']> {
  const out: Record<string, ChatStatus['type']> = {};
  for (const [id, v] of Object.entries(raw)) {
    const s = statusView(v);
    if (s) out[id] = s.type;
  }
  return out;
}
