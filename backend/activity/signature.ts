import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Hangar-Signature';
export const TIMESTAMP_HEADER = 'X-Hangar-Timestamp';
/** How far a webhook's timestamp may be from the server's clock, either way. */
export const TIMESTAMP_WINDOW_MS = 5 * 60_000;

/** `sha256=<hex>` of HMAC-SHA256("<timestamp>.<body>") under the project's webhook secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks the timestamp window and the signature (in constant time). */
export function verifyWebhook(secret: string, timestamp: string | undefined, signature: string | undefined, body: string, now: number): Verdict {
  if (!timestamp || !signature) return { ok: false, reason: 'unsigned' };
  if (!/^[0-9]{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad timestamp' };
  if (Math.abs(now - Number(timestamp) * 1000) > TIMESTAMP_WINDOW_MS) return { ok: false, reason: 'timestamp outside the window' };
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' };
  return { ok: true };
}

/**
 * Signatures seen within the timestamp window: a captured request replayed verbatim is refused.
 * In memory, so per API process (one replica; several would need a shared store).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs = 2 * TIMESTAMP_WINDOW_MS) {}

  /** True the first time a signature is seen; false for a replay. */
  firstSeen(signature: string, now: number): boolean {
    if (this.seen.size > 1000) this.prune(now);
    const until = this.seen.get(signature);
    if (until !== undefined && until > now) return false;
    this.seen.set(signature, now + this.ttlMs);
    return true;
  }

  private prune(now: number): void {
    for (const [sig, until] of this.seen) if (until <= now) this.seen.delete(sig);
  }
}
