// The sending side of one project's chat, without vscode: every prompt goes through the queue and is
// sent when its session is idle and the agent answers; a prompt for a stopped project starts it first
// (with progress in the panel) and waits meanwhile. One that fails stays queued with its error.
import type { ChatHostToWebview, ChatProject, ChatStarting, Mention, ModelRef } from '../../webviews/protocol/chat';
import type { Logger } from '../core/ports';
import { sessionView } from './agentEvents';
import type { ChatApi, PromptBody } from './chatApi';
import { errorText, type ChatTranscript } from './chatTranscript';
import type { OcPromptPart } from './mentions/filePart';
import { NEW_SESSION, NotYet, PromptQueue, queueView, Transient, type QueueItem } from './promptQueue';
import { isPassing } from '../core/outbox/passingFailure';
import { AWAIT_BUSY_MS, type SessionActivity } from './sessionActivity';

export interface PromptSenderDeps {
  api: Pick<ChatApi, 'createSession' | 'promptAsync' | 'command'>;
  transcript: ChatTranscript;
  activity: SessionActivity;
  post(message: ChatHostToWebview): void;
  log: Logger;
  project(): ChatProject;
  now: () => number;
  /** The queue changed: keep it across reloads. */
  persist(): void;
  /** The agent answered none of the loads yet although the project runs: load again (rather than start it). */
  reload(): Promise<void>;
  /** The model a queued prompt goes with: its own when the agent has it, otherwise the agent's default. */
  model(chosen: ModelRef | undefined): ModelRef | undefined;
  /** A prompt for a new session created it: its draft (kept under '') moves there. */
  createdSession(sessionId: string): void;
  /** Starts (or deploys) the stopped project and resolves once it runs; rejects with a sentence. */
  startProject?(signal: AbortSignal): Promise<void>;
  /** @mentions: the opencode parts (file references or inline content) that carry a prompt's mentions. */
  mentionParts?(sessionId: string, mentions: Mention[]): Promise<OcPromptPart[]>;
  /** `/name args` naming one of the agent's commands: what POST /session/:id/command takes (agentCatalog.ts). */
  commandOf?(text: string): { command: string; arguments: string } | undefined;
}

/** How long a slash command may take to be refused before it counts as sent (its call answers when the turn ends). */
const COMMAND_ACCEPT_MS = 3000;

export class PromptSender {
  readonly queue: PromptQueue;
  private starting: { abort: AbortController; state: ChatStarting } | undefined;
  private startFailure: ChatStarting = null;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly deps: PromptSenderDeps) {
    this.queue = new PromptQueue({
      canSend: (sessionId) => this.canSend(sessionId),
      deliver: (item) => this.deliver(item),
      changed: (items) => {
        this.deps.post({ type: 'chat.queue', items: queueView(items) });
        this.deps.persist();
      },
    }, deps.now);
  }

  /** Queues a prompt; it goes at once when its session is idle and the project runs. */
  async send(prompt: Omit<QueueItem, 'id' | 'createdAt' | 'error'>): Promise<void> {
    this.queue.add(prompt);
    this.ensureRunning();
    await this.queue.pump();
  }

  /** "Retry" on a prompt that failed. */
  async retry(id: string): Promise<void> {
    if (!this.queue.retry(id)) return;
    this.ensureRunning();
    await this.queue.pump();
  }

  /** The queue and the start state, after an init (the webview's store starts empty). */
  postState(): void {
    this.deps.post({ type: 'chat.queue', items: queueView(this.queue.items) });
    this.postStarting();
  }

  /** "Cancel" while the project starts: the prompts stay, with an error and a Retry. */
  cancelStart(): void {
    this.starting?.abort.abort();
  }

  dispose(): void {
    this.disposed = true;
    this.queue.dispose();
    this.starting?.abort.abort();
    if (this.staleTimer) clearTimeout(this.staleTimer);
  }

  private canSend(sessionId: string): boolean {
    // `loaded`: the agent answered (the store's project status may lag behind the agent's).
    if (!this.deps.transcript.loaded) return false;
    return sessionId === NEW_SESSION || this.deps.activity.isIdle(sessionId);
  }

  /** Sends one queued prompt (creating its session first when it starts one). */
  private async deliver(item: QueueItem): Promise<string> {
    const { api, activity, transcript } = this.deps;
    let sessionId = item.sessionId;
    if (sessionId === NEW_SESSION) {
      const created = await api.createSession().catch((e: unknown) => {
        const why = `could not create a session (${errorText(e)})`;
        if (isPassing(e)) throw new Transient(`Not sent yet: ${why}. It is sent by itself when the agent is back.`, { cause: e });
        throw new Error(`Not sent: ${why}. Retry when the agent is reachable.`, { cause: e });
      });
      transcript.upsert(sessionView(created));
      sessionId = created.id;
      // A resend after a failure goes to this session, not to yet another new one.
      item.sessionId = sessionId;
      this.deps.createdSession(sessionId);
      await transcript.switchTo(sessionId);
    }
    const command = this.deps.commandOf?.(item.text);
    const body = command ? undefined : await this.promptBody(sessionId, item);
    if (body && item.messageId) body.messageID = item.messageId;
    activity.sent(sessionId);
    try {
      if (command) await this.runCommand(sessionId, item, command);
      else await api.promptAsync(sessionId, body!, item.idempotencyKey);
    } catch (e) {
      activity.unsent(sessionId);
      // The key was used for this prompt as first written (then edited): the agent has that one.
      if ((e as { code?: unknown }).code === 'idempotency_key_reused') return sessionId;
      if ((e as { code?: unknown }).code === 'project_not_running') {
        // Stopped since the panel opened: start it; the prompt waits (without an error) meanwhile.
        transcript.loaded = false;
        setTimeout(() => this.ensureRunning(), 0);
        throw new NotYet('the project is not running');
      }
      if (isPassing(e)) {
        throw new Transient(`Not sent yet: ${errorText(e)}. It is sent by itself when the API and the agent are back.`, { cause: e });
      }
      throw new Error(`Not sent: ${errorText(e)}. It stays queued: Retry when the agent is reachable.`, { cause: e });
    }
    this.watchStale();
    return sessionId;
  }

  /**
   * A slash command: opencode's call answers only when the command's turn is over, so it counts as sent once
   * the agent did not refuse it at once; a later failure shows in the session (its error event) and the log.
   */
  private async runCommand(sessionId: string, item: QueueItem, call: { command: string; arguments: string }): Promise<void> {
    const model = this.deps.model(item.model);
    const running = this.deps.api.command(sessionId, {
      ...call, ...(item.agent ? { agent: item.agent } : {}),
      ...(model ? { model: `${model.providerId}/${model.modelId}` } : {}),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const accepted = new Promise<void>((resolve) => { timer = setTimeout(resolve, COMMAND_ACCEPT_MS); });
    try {
      await Promise.race([running, accepted]);
    } finally {
      clearTimeout(timer);
    }
    running.catch((e: unknown) => this.deps.log.warn(`chat: the command /${call.command} failed: ${errorText(e)}`));
  }

  /** The prompt as opencode takes it. */
  private async promptBody(sessionId: string, item: QueueItem): Promise<PromptBody> {
    // Each mention also travels as a `file` part (or inline content) after the text: extension/chat/mentions.
    const { mentionParts } = this.deps;
    const parts = item.mentions.length && mentionParts ? await mentionParts(sessionId, item.mentions) : [];
    const body: PromptBody = { parts: [{ type: 'text', text: item.text }, ...parts] };
    const model = this.deps.model(item.model);
    if (model) body.model = { providerID: model.providerId, modelID: model.modelId };
    if (item.agent) body.agent = item.agent;
    return body;
  }

  /** A prompt was accepted but its busy never came (a dropped event): the REST status decides. */
  private watchStale(): void {
    if (this.staleTimer) return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      if (this.disposed || !this.deps.activity.stale()) return;
      void this.deps.transcript.checkStatuses().then(() => this.queue.pump())
        .catch((e: unknown) => {
          this.warn('status check failed', e);
          // Still waiting for a busy that may never come (a replayed prompt whose turn is over): check again.
          this.watchStale();
        });
    }, AWAIT_BUSY_MS + 500);
    (this.staleTimer as { unref?: () => void }).unref?.();
  }

  /** A prompt waits and the project is not running: start it (once), with progress in the panel. */
  ensureRunning(): void {
    if (this.deps.transcript.loaded || this.starting || !this.deps.startProject) return;
    if (this.queue.items.length === 0) return;
    if (this.deps.project().status === 'running') {
      // Running, but the agent did not answer when the panel opened: try again rather than start it.
      void this.deps.reload().catch((e: unknown) => this.warn('reload failed', e));
      return;
    }
    this.startNow();
  }

  /** "Start" on the stopped banner, or a prompt that waits: starts the project with progress in the panel. */
  startNow(): void {
    const project = this.deps.project();
    const start = this.deps.startProject;
    if (this.starting || !start || project.status === 'running') return;
    const abort = new AbortController();
    const waiting = this.queue.items.length > 0 ? ' your message is sent once the agent is up.' : '';
    const state: ChatStarting = { phase: 'starting', message: `Starting ${project.name}…${waiting}` };
    this.starting = { abort, state };
    this.startFailure = null;
    this.postStarting();
    start(abort.signal).then(
      () => {
        this.starting = undefined;
        this.postStarting();
      },
      (e: unknown) => {
        this.starting = undefined;
        const cancelled = abort.signal.aborted;
        const retry = 'Retry sends it (and starts the project again).';
        this.queue.fail(cancelled ? `Start cancelled: ${retry}` : `${errorText(e)} ${retry}`);
        const failed = `Could not start ${project.name}: ${errorText(e)}`;
        this.startFailure = cancelled ? null : { phase: 'failed', message: failed };
        this.postStarting();
      },
    );
  }

  private warn(what: string, e: unknown): void {
    this.deps.log.warn(`chat ${this.deps.project().id}: ${what}: ${errorText(e)}`);
  }

  private postStarting(): void {
    this.deps.post({ type: 'chat.starting', starting: this.starting?.state ?? this.startFailure });
  }
}
