/** One event waiting to be written to the shared `events` table (data is its JSON). */
export interface QueuedEvent { userId: string; type: string; data: string; at: string }

export const RESYNC_REASON = 'events were lost while the database was unreachable';

/**
 * The events this process published and has not stored yet, in publish order. While the database is
 * unreachable they wait here; past `max` the oldest are dropped, and in their place each user who lost
 * one gets a `resync` event (clients refetch what they show), so memory stays bounded and nobody
 * silently misses a change.
 */
export class EventWriteQueue {
  private items: QueuedEvent[] = [];
  /** Events dropped since the queue was last empty (for the log). */
  dropped = 0;

  constructor(private readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 2) throw new Error('the event queue holds at least 2 events');
  }

  get length(): number {
    return this.items.length;
  }

  push(event: QueuedEvent): void {
    this.items.push(event);
    this.trim();
  }

  /** The oldest `n`, out of the queue while they are written. */
  take(n: number): QueuedEvent[] {
    return this.items.splice(0, n);
  }

  /** A batch that could not be written goes back to the front, ahead of what came meanwhile. */
  putBack(batch: QueuedEvent[]): void {
    this.items.unshift(...batch);
    this.trim();
  }

  /** Everything left (shutdown with the database away): the caller logs how many were lost. */
  clear(): number {
    const n = this.items.length;
    this.items = [];
    return n;
  }

  private trim(): void {
    if (this.items.length <= this.max) return;
    // Half the room at once, so a long outage trims now and then rather than on every publish.
    const cut = this.items.length - Math.floor(this.max / 2);
    const lost = this.items.splice(0, cut);
    const users = [...new Set(lost.map((e) => e.userId))];
    this.dropped += lost.filter((e) => !isResync(e)).length;
    const at = lost.at(-1)!.at;
    this.items.unshift(...users.map((userId) => ({
      userId, type: 'resync', data: JSON.stringify({ reason: RESYNC_REASON }), at,
    })));
  }
}

function isResync(e: QueuedEvent): boolean {
  return e.type === 'resync';
}

/** Doubling delays from `baseMs` up to `maxMs` for the n-th consecutive failure (0-based). */
export function retryDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

/**
 * Whether a failed write may succeed later: the connection (refused, reset, terminated), the server
 * shutting down or out of resources, a serialisation failure. A constraint or data error will not.
 */
export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return true;
  // Node's socket errors (ECONNREFUSED, ECONNRESET, EPIPE, …): no SQLSTATE class starts with E.
  if (code.startsWith('E')) return true;
  // SQLSTATE: 08 connection, 40 rollback (serialisation, deadlock), 53 resources, 57 operator (shutdown), 58 system.
  return /^(08|40|53|57|58)/.test(code);
}
