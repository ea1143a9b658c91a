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
