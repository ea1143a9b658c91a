// The host side of one project's chat, without vscode: builds the chat's parts and ties them together,
// the transcript (chatTranscript.ts: sessions, messages, resync), the sending (promptSender.ts: queue,
// start-on-send), the model and agent choice (modelChoice.ts), the changes and the offline copy; loads
// them when the webview is ready. The webview's requests are answered in chatMessageHandlers.ts, what it
// needs from VS Code is chatHostPort.ts. The panel (chatPanel.ts) wires it to a webview; the unit tests
// drive it with fakes.
import type {
  ChatHostToWebview, ChatProject, ChatWebviewToHost, ConnectionState, Mention,
} from '../../webviews/protocol/chat';
import type { PanelHandlers } from '../core/webview/panelChannel';
import type { Logger } from '../core/ports';
import { sessionView, type AgentStreamEvent } from './agentEvents';
import type { ChatApi } from './chatApi';
import type { ChatControllerOptions, ChatHostPort } from './chatHostPort';
import { ChatChanges } from './chatChanges';
import { chatMessageHandlers } from './chatMessageHandlers';
import { emptyChatState, storedQueue } from './chatPersistence';
import { ChatTranscript, errorText } from './chatTranscript';
import { ModelChoice } from './modelChoice';
import { PromptSender } from './promptSender';
import { NEW_SESSION, type PromptQueue } from './promptQueue';
import { SessionActivity } from './sessionActivity';
import { ChatOfflineCopy } from './chatOfflineCopy';

export * from './agentEvents';
export * from './chatApi';
export type { ChatControllerOptions, ChatHostPort } from './chatHostPort';
export { TRANSCRIPT_PAGE } from './chatTranscript';

export class ChatController {
  private readonly drafts = new Map<string, string>();
  private disposed = false;
  private readonly activity: SessionActivity;
  private readonly transcript: ChatTranscript;
  private readonly sender: PromptSender;
  private readonly models: ModelChoice;
  private requestedSessionId: string | undefined;
  private loadTimer: ReturnType<typeof setTimeout> | undefined;
  private loadAttempts = 0;
  private readying: Promise<void> | undefined;
  private readonly copy: ChatOfflineCopy;
  readonly handlers: PanelHandlers<ChatWebviewToHost>;

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
    this.models = new ModelChoice({ api, post, persist, running: () => this.project.status === 'running' });
    this.transcript = new ChatTranscript({
      api, activity: this.activity, post, persist, log, projectId: project.id,
      pump: () => this.sender.queue.pump(),
      resume: () => this.sender.queue.resume(),
      onMessages: (raw, sessionId) => {
        this.models.fromTranscript(raw);
        this.copy.save(sessionId, this.transcript.sessions.find((s) => s.id === sessionId)?.title, raw);
      },
    });
    this.copy = new ChatOfflineCopy({ cache: options.cache, post, log, projectId: project.id, now });
    this.sender = new PromptSender({
      api, transcript: this.transcript, activity: this.activity, post, persist, log, now,
      project: () => this.project,
      reload: () => this.onReady(),
      model: (m) => this.models.usable(m),
      createdSession: (sessionId) => {
        const text = this.drafts.get('');
        if (text !== undefined) { this.drafts.delete(''); this.drafts.set(sessionId, text); }
      },
      ...(port.startProject ? { startProject: (signal: AbortSignal) => port.startProject!(signal) } : {}),
      ...(port.mentionParts ? { mentionParts: (s: string, m: Mention[]) => port.mentionParts!(s, m) } : {}),
      commandOf: (text) => this.models.commandOf(text),
    });
    const changes = new ChatChanges({
      api, post, ...(port.openDiff ? { openDiff: (d: Parameters<typeof port.openDiff>[0]) => port.openDiff!(d) } : {}),
    });
    this.handlers = chatMessageHandlers({
      api, port, post, persist, changes, transcript: this.transcript, sender: this.sender, activity: this.activity,
      copy: this.copy, models: this.models, drafts: this.drafts,
    });
    const p = options.persisted;
    if (p) {
      this.transcript.activeSessionId = p.activeSessionId;
      for (const [k, v] of Object.entries(p.drafts)) this.drafts.set(k, v);
      this.sender.queue.restore(p.queue);
      this.models.pick(p);
    }
    this.requestedSessionId = options.sessionId;
  }

  get activeSession(): string | null { return this.transcript.activeSessionId; }
  get queue(): PromptQueue { return this.sender.queue; }

  dispose(): void {
    this.disposed = true;
    this.sender.dispose();
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
    const catalog = this.models.load();
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
        type: 'chat.init', project: this.project, sessions: this.copy.sessions(), activeSessionId: shown,
        models: [], agents: [], draft: this.drafts.get(shown ?? '') ?? '', ...this.models.fields(),
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
    const stale = this.models.dropStale();
    this.post({
      type: 'chat.init', project: this.project, sessions: t.sessions, activeSessionId: t.activeSessionId,
      models, agents, ...(commands ? { commands } : {}), draft: this.drafts.get(t.activeSessionId ?? '') ?? '',
      ...this.models.fields(),
    });
    if (stale) this.models.postModels(stale);
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
  }

  /** After a gap (resync event or a reconnect): the transcript and status again, over REST. */
  resync(): Promise<void> {
    return this.transcript.resync();
  }

  /** The agent reloaded its config files (`workspace.changed` with agentReloaded): its agent list again. */
  agentFilesChanged(): Promise<void> {
    return this.models.agentFilesChanged();
  }

  /**
   * The agent's provider changed (`agent.config` on the user's event stream): its model list again,
   * and the choice moved to its default when the agent no longer has it.
   */
  modelsChanged(
    change: { needsRedeploy: string | null; providerId?: string | null; modelId?: string | null },
  ): Promise<void> {
    return this.models.modelsChanged(change);
  }

  /** The project's row says its agent needs a redeploy for a provider change (or no longer does). */
  setNeedsRedeploy(why: string | null): void {
    this.models.setNeedsRedeploy(why);
  }

  private persist(): void {
    if (this.disposed || !this.port.persist) return;
    const { model, agent } = this.models.choice;
    this.port.persist({
      ...emptyChatState(),
      activeSessionId: this.transcript.activeSessionId,
      drafts: Object.fromEntries(this.drafts),
      queue: storedQueue(this.sender.queue.items),
      ...(model ? { model } : {}),
      ...(agent ? { agent } : {}),
    });
  }

  private post(message: ChatHostToWebview): void {
    if (!this.disposed) this.port.post(message);
  }
}
