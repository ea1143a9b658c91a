// Whether each session of a project can take a prompt now, from the relayed status events and the
// REST status list. A session a prompt was just sent to counts as busy until the agent says so
// itself: opencode repeats "idle" (session.status idle, then the deprecated session.idle), and a
// repeated idle must not release the next queued prompt while the first is still starting.
import type { ChatStatus } from '../../webviews/protocol/chat';

/** How long a sent prompt may go without its `busy` before the REST status list decides. */
export const AWAIT_BUSY_MS = 10_000;

export class SessionActivity {
  private readonly status = new Map<string, ChatStatus['type']>();
  /** session → when a prompt was sent to it (until its busy arrives) */
  private readonly awaiting = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A status event. True when the session just became free for the next prompt. */
  onStatus(sessionId: string, status: ChatStatus['type']): boolean {
    const was = this.isIdle(sessionId);
    if (status !== 'idle') this.awaiting.delete(sessionId);
    this.status.set(sessionId, status);
    return !was && this.isIdle(sessionId);
  }

  /**
   * The REST list (`GET /session/status`: absent means idle) after a gap; it is the truth except for a prompt
   * just sent.
   */
  onSnapshot(busy: Record<string, ChatStatus['type'] | undefined>, sessionIds: Iterable<string>): void {
    const known = new Set([...sessionIds, ...Object.keys(busy), ...this.status.keys()]);
    for (const id of known) {
      const s = busy[id] ?? 'idle';
      if (s !== 'idle') this.awaiting.delete(id);
      else if ((this.awaiting.get(id) ?? -Infinity) < this.now() - AWAIT_BUSY_MS) this.awaiting.delete(id);
      this.status.set(id, s);
    }
  }

  /** A prompt is being sent: busy until the agent's own busy (or the REST list) says otherwise. */
  sent(sessionId: string): void {
    this.awaiting.set(sessionId, this.now());
  }

  /** The send failed: nothing is coming. */
  unsent(sessionId: string): void {
    this.awaiting.delete(sessionId);
  }

  /** Waiting for a busy for longer than AWAIT_BUSY_MS (the caller re-reads the REST status). */
  stale(): boolean {
    const limit = this.now() - AWAIT_BUSY_MS;
    for (const t of this.awaiting.values()) if (t < limit) return true;
    return false;
  }

  isIdle(sessionId: string): boolean {
    return (this.status.get(sessionId) ?? 'idle') === 'idle' && !this.awaiting.has(sessionId);
  }

  forget(sessionId: string): void {
    this.status.delete(sessionId);
    this.awaiting.delete(sessionId);
  }
}
