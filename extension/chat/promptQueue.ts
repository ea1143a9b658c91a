// The host's prompt queue for one project, without vscode. A prompt waits here while its session is
// busy (or the project is stopped, or the API is down) and is sent in order when the session can take
// it. A prompt whose sending failed stays at the head of its session's queue with the error, blocking
// the prompts behind it (order matters) until the user retries or cancels it. Nothing typed is lost:
// the owner persists `items` after every change.
import type { Mention, ModelRef, QueuedPrompt } from '../../webviews/protocol/chat';
import { newIdempotencyKey, newMessageId } from '../core/outbox/outboxIds';
import { retryDelayMs } from '../core/outbox/retryDelay';

/** The session key of a prompt that starts a new session (the protocol's ids are never this short). */
export const NEW_SESSION = 'new';

/** Thrown by `deliver` when the prompt cannot go yet for a reason being dealt with (the project is starting): it waits, without an error. */
export class NotYet extends Error {}

/**
 * Thrown by `deliver` when the prompt could not go for a reason that passes (the API or the network is
 * down, the agent restarting): it stays first in line and is sent again by itself, with backoff, and
 * at once on `resume()` (the API is back). Its message id and idempotency key make the resend safe.
 */
export class Transient extends Error {}

export interface QueueItem {
  id: string;
  /** a session id, or NEW_SESSION */
  sessionId: string;
  text: string;
  mentions: Mention[];
  model?: ModelRef;
  agent?: string;
  error?: string;
  createdAt: number;
  /**
   * Issue #14: the key is fixed when the prompt is written, the message id just before its first attempt
   * (opencode orders a session's messages by id: one minted while the prompt waited behind a busy turn
   * would sort before that turn's answer); both are kept, and every later attempt sends the same.
   */
  messageId?: string;
  idempotencyKey?: string;
  /** The last failure was transient: the queue sends it again by itself. */
  retryable?: boolean;
  attempts?: number;
}

export interface QueuePorts {
  /** May a prompt be sent to this session now (idle, project running, nothing in flight)? */
  canSend(sessionId: string): boolean;
  /** Sends one prompt; resolves with the session it went to (a NEW_SESSION prompt creates one). Throws when it could not be sent. */
  deliver(item: QueueItem): Promise<string>;
  /** The items changed: post them to the webview and persist them. */
  changed(items: readonly QueueItem[]): void;
}

export class PromptQueue {
  private list: QueueItem[] = [];
  /** sessions with a prompt being sent right now */
  private readonly sending = new Set<string>();
  private seq = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ports: QueuePorts, private readonly now: () => number = Date.now) {}

  /** Stops the automatic retry timer (the panel closed). */
  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** The API or agent is back (or the user acted): prompts that failed for a passing reason go now. */
  async resume(): Promise<void> {
    let changed = false;
    for (const i of this.list) {
      if (i.retryable && i.error !== undefined) {
        delete i.error;
        changed = true;
      }
    }
    if (changed) this.ports.changed(this.list);
    await this.pump();
  }

  get items(): readonly QueueItem[] { return this.list; }

  /** The items restored from the last run (persisted), kept in their order. */
  restore(items: readonly QueueItem[]): void {
    this.list = items.map((i) => ({ idempotencyKey: newIdempotencyKey(), ...i }));
  }

  /** Appends a prompt; it is sent at once when its session can take it and nothing is ahead of it. */
  add(prompt: Omit<QueueItem, 'id' | 'createdAt' | 'error'>): QueueItem {
    const now = this.now();
    const item: QueueItem = {
      ...prompt, id: `q${now.toString(36)}${(++this.seq).toString(36)}`, createdAt: now,
      idempotencyKey: newIdempotencyKey(),
    };
    this.list.push(item);
    this.ports.changed(this.list);
    return item;
  }

  has(id: string): boolean { return this.list.some((i) => i.id === id); }

  /** The first prompt of a session (the next one to send). */
  headOf(sessionId: string): QueueItem | undefined {
    return this.list.find((i) => i.sessionId === sessionId);
  }

  edit(id: string, text: string): boolean {
    const item = this.list.find((i) => i.id === id);
    if (!item || !text.trim()) return false;
    item.text = text;
    this.ports.changed(this.list);
    return true;
  }

  cancel(id: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((i) => i.id !== id);
    if (this.list.length === before) return false;
    this.ports.changed(this.list);
    return true;
  }

  /** Clears a failed prompt's error so the next pump sends it. */
  retry(id: string): boolean {
    const item = this.list.find((i) => i.id === id);
    if (!item) return false;
    delete item.error;
    item.attempts = 0;
    this.ports.changed(this.list);
    return true;
  }

  /** Marks every waiting prompt (of one session, or all) as failed with this reason: they wait for a Retry. */
  fail(reason: string, sessionId?: string): void {
    let changed = false;
    for (const i of this.list) {
      if ((sessionId === undefined || i.sessionId === sessionId) && !i.error && !this.sending.has(i.sessionId)) {
        i.error = reason;
        changed = true;
      }
    }
    if (changed) this.ports.changed(this.list);
  }

  /**
   * The project is gone (deleted on the server while offline): every prompt is marked failed with the
   * reason and is not sent again by itself (the user reads it, copies it, discards it).
   */
  abandon(reason: string): void {
    this.dispose();
    for (const i of this.list) {
      i.error = reason;
      i.retryable = false;
    }
    if (this.list.length) this.ports.changed(this.list);
  }

  /** A session was deleted: its prompts go too. */
  dropSession(sessionId: string): void {
    const before = this.list.length;
    this.list = this.list.filter((i) => i.sessionId !== sessionId);
    if (this.list.length !== before) this.ports.changed(this.list);
  }

  /**
   * Sends the head of every session's queue that can be sent now (one per session: the next waits for
   * the session to be idle again). Resolves when those sends settled.
   */
  async pump(): Promise<void> {
    const heads = new Map<string, QueueItem>();
    for (const i of this.list) if (!heads.has(i.sessionId)) heads.set(i.sessionId, i);
    const sends: Promise<void>[] = [];
    for (const [sessionId, head] of heads) {
      if (head.error || this.sending.has(sessionId) || !this.ports.canSend(sessionId)) continue;
      sends.push(this.send(head));
    }
    await Promise.all(sends);
  }

  private retryLater(attempts: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.resume();
    }, retryDelayMs(attempts));
    (this.retryTimer as { unref?: () => void }).unref?.();
  }

  private async send(item: QueueItem): Promise<void> {
    const key = item.sessionId;
    this.sending.add(key);
    if (!item.messageId) {
      item.messageId = newMessageId();
      this.ports.changed(this.list); // persisted before the request can reach the agent
    }
    try {
      await this.ports.deliver(item);
      this.list = this.list.filter((i) => i !== item);
    } catch (e) {
      // Still queued, first in line, with what went wrong: the user retries or cancels it, or (a passing
      // failure) the queue sends it again by itself.
      if (this.list.includes(item) && !(e instanceof NotYet)) {
        item.error = e instanceof Error ? e.message : String(e);
        item.retryable = e instanceof Transient;
        item.attempts = (item.attempts ?? 0) + 1;
        if (item.retryable) this.retryLater(item.attempts);
      }
    } finally {
      this.sending.delete(key);
    }
    this.ports.changed(this.list);
  }
}

/** The queue as the webview shows it. */
export function queueView(items: readonly QueueItem[]): QueuedPrompt[] {
  return items.map((i) => ({ id: i.id, sessionId: i.sessionId, text: i.text, mentions: i.mentions, ...(i.error !== undefined ? { error: i.error } : {}) }));
}
