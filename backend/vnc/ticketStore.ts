import { randomBytes } from 'node:crypto';

/** Longest a ticket lives: the webview redeems it within a second of receiving it. */
export const TICKET_TTL_MS = 60_000;

export interface IssuedTicket {
  ticket: string;
  /** epoch ms */
  expiresAt: number;
}

/** Why a ticket could not be redeemed; the upgrade handler maps each to an HTTP refusal. */
export type RedeemFailure = 'missing' | 'unknown' | 'expired' | 'wrong_project';

export type RedeemResult =
  | { ok: true; userId: string; projectId: string }
  | { ok: false; reason: RedeemFailure };

interface Entry {
  userId: string;
  projectId: string;
  expiresAt: number;
}

const EXPIRED_KEPT_MS = 5 * 60_000;
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-use websocket tickets. A webview cannot set headers on a websocket, so the extension trades its
 * API token for a ticket (POST .../vnc/ticket) and hands the webview only that: 256 random bits, bound
 * to one user and one project, gone after the first redemption attempt or `ttlMs`.
 * Memory only: an API restart voids every ticket, which costs a reconnect a fresh one.
 */
export class TicketStore {
  private readonly entries = new Map<string, Entry>();

  /** `now` is replaceable so tests can move time (expiry) without waiting. */
  constructor(public now: () => number = Date.now, private readonly ttlMs = TICKET_TTL_MS) {
    if (ttlMs > TICKET_TTL_MS) throw new Error(`a VNC ticket may live at most ${TICKET_TTL_MS} ms`);
  }

  issue(userId: string, projectId: string): IssuedTicket {
    this.sweep();
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.entries.set(ticket, { userId, projectId, expiresAt });
    return { ticket, expiresAt };
  }

  /**
   * Consumes the ticket whatever the outcome: a ticket tried on the wrong project is spent too, so a
   * leaked one cannot be walked across projects.
   */
  redeem(ticket: string | undefined, projectId: string): RedeemResult {
    if (!ticket) return { ok: false, reason: 'missing' };
    if (!TICKET_SHAPE.test(ticket)) return { ok: false, reason: 'unknown' };
    const entry = this.entries.get(ticket);
    if (!entry) return { ok: false, reason: 'unknown' };
    this.entries.delete(ticket);
    if (this.now() >= entry.expiresAt) return { ok: false, reason: 'expired' };
    if (entry.projectId !== projectId) return { ok: false, reason: 'wrong_project' };
    return { ok: true, userId: entry.userId, projectId };
  }

  /** How many unredeemed tickets are held (expired ones are dropped first). */
  get size(): number {
    const now = this.now();
    return [...this.entries.values()].filter((e) => now < e.expiresAt).length;
  }

  /** Expired tickets stay a while so their redemption says "expired", not "unknown". */
  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (now >= e.expiresAt + EXPIRED_KEPT_MS) this.entries.delete(k);
  }
}
