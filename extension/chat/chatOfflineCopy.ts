// The chat's offline copy: the newest page of each session it showed is kept in the offline store,
// and when the agent cannot be reached (a window reloaded while the API is down) the panel shows that
// copy, read-only, with a banner saying how old it is. No vscode here.
import type { ChatHostToWebview, ChatMessage, ChatSession } from '../../webviews/protocol/chat';
import { dataAge } from '../connection/connectionState';
import type { Logger } from '../core/ports';
import { messageView, type AgentStreamEvent } from './agentEvents';

/** After a session's turn ends, how long its copy waits before it is read again (repeated idles are one read). */
export const COPY_SETTLE_MS = 1_000;

/** One project's transcripts in the offline store (extension/core/store). */
export interface TranscriptCache {
  /** resolves once the store's file was read */
  readonly ready: Promise<void>;
  /** most recently used first */
  list(): { sessionId: string; transcript: { at: number; title?: string; messages: readonly unknown[] } }[];
  put(sessionId: string, t: { title?: string; messages: readonly unknown[] }): void;
  touch(sessionId: string): void;
}

export interface OfflineCopyDeps {
  cache: TranscriptCache | undefined;
  post(message: ChatHostToWebview): void;
  log: Logger;
  projectId: string;
  now(): number;
  /** The session's newest page, raw, from the agent (to refresh its copy as the agent works). */
  fetch?(sessionId: string): Promise<unknown[]>;
  /** The session's title, if known. */
  title?(sessionId: string): string | undefined;
}

export class ChatOfflineCopy {
  /** the session shown from the copy; undefined while live */
  private shownAt: number | undefined;
  /** sessions whose copy is read again soon: one timer each, so a burst of events is one read */
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: OfflineCopyDeps) {}

  get showing(): boolean { return this.shownAt !== undefined; }

  /** The store's file was read (a window opened while offline waits for it before it shows the copy). */
  get ready(): Promise<void> { return this.deps.cache?.ready ?? Promise.resolve(); }

  /** A transcript read from the agent: kept as the copy of its session. */
  save(sessionId: string, title: string | undefined, raw: readonly unknown[]): void {
    this.deps.cache?.put(sessionId, { ...(title ? { title } : {}), messages: raw });
  }

  /**
   * An event of the agent's stream (issue #14): when a session's turn ends, its transcript is read again
   * shortly after and saved, so the last sessions are in the offline store without having been opened.
   * Off the hot path: a timer per session, one read however many idle events came meanwhile.
   */
  noteEvent(event: AgentStreamEvent): void {
    const sessionId = endedTurnOf(event);
    const { cache, fetch } = this.deps;
    if (!sessionId || !cache || !fetch || this.pending.has(sessionId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(sessionId);
      fetch(sessionId).then(
        (raw) => this.save(sessionId, this.deps.title?.(sessionId), raw),
        (e: unknown) => this.deps.log.debug(`chat ${this.deps.projectId}: copy of ${sessionId} not refreshed: ${String(e)}`),
      );
    }, COPY_SETTLE_MS);
    (timer as { unref?: () => void }).unref?.();
    this.pending.set(sessionId, timer);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }

  /** The cached sessions as the session list shows them (newest use first). */
  sessions(): ChatSession[] {
    return (this.deps.cache?.list() ?? []).map(({ sessionId, transcript }) => ({
      id: sessionId, title: transcript.title ?? sessionId, updated: transcript.at,
    }));
  }

  /** The session the copy would show: `preferred` when it is cached, else the most recently used one. */
  pick(preferred: string | null): string | null {
    return this.entry(preferred)?.sessionId ?? null;
  }

  /**
   * Loading from the agent failed: the copy of `preferred` (else the most recently used one) goes to
   * the webview with the banner; returns the session shown, or undefined when nothing is cached.
   */
  show(preferred: string | null): string | undefined {
    const entry = this.entry(preferred);
    if (!entry) return undefined;
    this.deps.cache?.touch(entry.sessionId);
    const messages = views(entry.transcript.messages);
    this.deps.post({ type: 'chat.transcript', sessionId: entry.sessionId, messages, replace: true, hasOlder: false });
    this.shownAt = entry.transcript.at;
    const savedAt = entry.transcript.at;
    this.deps.post({ type: 'chat.offlineCopy', copy: { savedAt, age: dataAge(savedAt, this.deps.now()) } });
    this.deps.log.info(
      `chat ${this.deps.projectId}: offline copy of ${entry.sessionId} shown (${messages.length} messages)`,
    );
    return entry.sessionId;
  }

  /** The user picked another session while the copy is shown: its copy, if there is one. */
  switchTo(sessionId: string): boolean {
    if (!this.showing || !(this.deps.cache?.list() ?? []).some((e) => e.sessionId === sessionId)) return false;
    this.show(sessionId);
    return true;
  }

  private entry(preferred: string | null) {
    const entries = this.deps.cache?.list() ?? [];
    return entries.find((e) => e.sessionId === preferred) ?? entries[0];
  }

  /** The agent answered: the live transcript replaces the copy. */
  live(): void {
    if (!this.showing) return;
    this.shownAt = undefined;
    this.deps.post({ type: 'chat.offlineCopy', copy: null });
  }
}

/** The session whose turn the event ends (`session.idle`, or `session.status` idle); undefined otherwise. */
function endedTurnOf(event: AgentStreamEvent): string | undefined {
  const p = event.properties as { sessionID?: unknown; status?: { type?: unknown } } | null;
  if (!p || typeof p.sessionID !== 'string') return undefined;
  if (event.type === 'session.idle') return p.sessionID;
  return event.type === 'session.status' && p.status?.type === 'idle' ? p.sessionID : undefined;
}

function views(raw: readonly unknown[]): ChatMessage[] {
  return raw.flatMap((m) => { const v = messageView(m); return v ? [v] : []; });
}
