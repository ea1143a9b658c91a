// The transcript side of one project's chat, without vscode: the session list, the open session and
// its messages as the webview has them. Relayed opencode events become part-level chat.* messages;
// after a gap (a resync event, a reconnect) the list, the transcript, the status and the pending
// permissions are read again over REST, because opencode's own stream has no ids to resume from.
import type {
  ChatHostToWebview, ChatMessage, ChatSession as ChatSessionView, ChatStatus,
} from '../../webviews/protocol/chat';
import type { Logger } from '../core/ports';
import {
  messageView, permissionView, sessionView, statusView, translateEvent, type AgentStreamEvent,
} from './agentEvents';
import type { ChatApi } from './chatApi';
import { LiveParts } from './liveParts';
import { retryDelayMs } from '../core/outbox/retryDelay';
import type { SessionActivity } from './sessionActivity';

/** Messages per transcript page: a long session opens with its newest ones. */
export const TRANSCRIPT_PAGE = 200;

export interface ChatTranscriptDeps {
  api: Pick<ChatApi, 'sessions' | 'messages' | 'statuses' | 'permissions'>;
  activity: SessionActivity;
  post(message: ChatHostToWebview): void;
  log: Logger;
  /** for log lines */
  projectId: string;
  /** A session became free: the queue may send what waits. */
  pump(): Promise<void>;
  /** A resync ended: the queue sends what waits, failed-but-passing ones included (the outbox). */
  resume(): Promise<void>;
  /** The open session changed: keep it across reloads. */
  persist(): void;
  /** Each transcript read, raw (the model pickers start on the session's last choice; the offline copy keeps it). */
  onMessages?(raw: unknown[], sessionId: string): void;
}

export class ChatTranscript {
  sessions: ChatSessionView[] = [];
  activeSessionId: string | null = null;
  /** the sessions were loaded from the agent at least once (false while the project is stopped) */
  loaded = false;
  private resyncing: Promise<void> | undefined;
  private resyncFailures = 0;
  private disposed = false;
  /** how many of the newest messages of each session the webview has (a resync re-reads as many) */
  private readonly loadedCount = new Map<string, number>();
  /** parts still streaming, as far as they streamed (liveParts.ts) */
  private readonly live = new LiveParts();

  constructor(private readonly deps: ChatTranscriptDeps) {}

  /** An event from the project's relayed stream. */
  onEvent(event: AgentStreamEvent): void {
    const t = translateEvent(event, this.activeSessionId);
    switch (t.kind) {
      case 'post': {
        this.live.track(t.message);
        const status = t.message.type === 'chat.status' ? t.message.status.type : undefined;
        if (status && this.deps.activity.onStatus(t.sessionId, status)) void this.deps.pump();
        if (t.sessionId === this.activeSessionId) this.deps.post(t.message);
        return;
      }
      case 'resync':
        void this.resync();
        return;
      case 'sessions':
        if (t.upsert) this.upsert(sessionView(t.upsert), false);
        if (t.remove) this.sessions = this.sessions.filter((s) => s.id !== t.remove);
        this.postSessions();
        return;
      case 'ignore':
        return;
    }
  }

  /** After a gap (resync event or a reconnect): the transcript and status again, over REST. */
  resync(): Promise<void> {
    this.resyncing ??= (async () => {
      try {
        await this.loadSessions();
        this.postSessions();
        await this.send();
        await this.resendPermissions();
        await this.deps.resume();
        this.resyncFailures = 0;
      } catch (e) {
        this.deps.log.warn(`chat ${this.deps.projectId}: resync failed: ${errorText(e)}`);
        // Until a resync succeeds the session statuses may be stale (a lost idle): the queue would wait forever.
        if (!this.disposed) {
          setTimeout(() => { if (!this.disposed) void this.resync(); }, retryDelayMs(++this.resyncFailures)).unref?.();
        }
      } finally {
        this.resyncing = undefined;
      }
    })();
    return this.resyncing;
  }

  dispose(): void {
    this.disposed = true;
  }

  async loadSessions(): Promise<void> {
    const list = await this.deps.api.sessions();
    this.sessions = list.map(sessionView).sort((a, b) => b.updated - a.updated);
  }

  has(sessionId: string): boolean {
    return this.sessions.some((s) => s.id === sessionId);
  }

  /** A created or renamed session: first in the list when it is new. */
  upsert(view: ChatSessionView, post = true): void {
    const i = this.sessions.findIndex((s) => s.id === view.id);
    if (i >= 0) this.sessions[i] = view; else this.sessions.unshift(view);
    if (post) this.postSessions();
  }

  /** A deleted session: the next one opens when it was the open one. */
  async remove(sessionId: string): Promise<void> {
    this.sessions = this.sessions.filter((s) => s.id !== sessionId);
    if (this.activeSessionId !== sessionId) {
      this.postSessions();
      return;
    }
    this.activeSessionId = this.sessions[0]?.id ?? null;
    this.postSessions();
    await this.send();
  }

  async switchTo(sessionId: string): Promise<void> {
    this.activeSessionId = sessionId;
    this.postSessions();
    this.deps.persist();
    await this.send();
  }

  /** A new conversation: no session is open until the first send creates one (promptSender.ts). */
  startNew(): void {
    this.activeSessionId = null;
    this.postSessions();
    this.deps.persist();
  }

  postSessions(): void {
    this.deps.post({ type: 'chat.sessions', sessions: this.sessions, activeSessionId: this.activeSessionId });
  }

  /** The open session's newest page (or as many as the webview had), then its status. */
  async send(): Promise<void> {
    const sessionId = this.activeSessionId;
    if (!sessionId) return;
    const { api, activity } = this.deps;
    const limit = Math.max(TRANSCRIPT_PAGE, this.loadedCount.get(sessionId) ?? 0);
    const [raw, statuses] = await Promise.all([
      api.messages(sessionId, limit),
      api.statuses().catch(() => ({} as Record<string, unknown>)),
    ]);
    this.loadedCount.set(sessionId, raw.length);
    activity.onSnapshot(statusTypes(statuses), this.sessions.map((s) => s.id));
    this.deps.onMessages?.(raw, sessionId);
    if (this.activeSessionId !== sessionId) return; // switched meanwhile
    const messages = this.live.patch(views(raw));
    if (messages.length !== raw.length) {
      const left = raw.length - messages.length;
      this.deps.log.warn(`chat ${this.deps.projectId}: ${left} message(s) did not match and were left out`);
    }
    this.deps.post({ type: 'chat.transcript', sessionId, messages, replace: true, hasOlder: raw.length >= limit });
    this.deps.post({ type: 'chat.status', sessionId, status: statusView(statuses[sessionId]) ?? { type: 'idle' } });
  }

  /**
   * The next page up: opencode's list takes a limit and answers the newest messages, so the older
   * page is what the last answer did not have.
   */
  async loadOlder(sessionId: string): Promise<void> {
    if (sessionId !== this.activeSessionId) return;
    const loaded = this.loadedCount.get(sessionId) ?? 0;
    const limit = loaded + TRANSCRIPT_PAGE;
    const raw = await this.deps.api.messages(sessionId, limit);
    if (this.activeSessionId !== sessionId) return;
    this.loadedCount.set(sessionId, Math.max(loaded, raw.length));
    const older = views(raw.slice(0, Math.max(0, raw.length - loaded)));
    const hasOlder = raw.length >= limit;
    this.deps.post({ type: 'chat.transcript', sessionId, messages: older, replace: false, hasOlder });
  }

  /** The REST status list decides (a prompt whose `busy` never came). */
  async checkStatuses(): Promise<void> {
    const raw = await this.deps.api.statuses();
    this.deps.activity.onSnapshot(statusTypes(raw), this.sessions.map((s) => s.id));
  }

  /** Pending permission requests of the open session, again (one may have been asked during a gap). */
  private async resendPermissions(): Promise<void> {
    const raw = await this.deps.api.permissions().catch(() => [] as unknown[]);
    for (const r of raw) {
      const request = permissionView(r);
      if (request && request.sessionId === this.activeSessionId) this.deps.post({ type: 'chat.permission', request });
    }
  }
}

/** The messages that match the chat's shapes (the rest are left out). */
function views(raw: unknown[]): ChatMessage[] {
  return raw.flatMap((m) => { const v = messageView(m); return v ? [v] : []; });
}

export function errorText(e: unknown): string {
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
