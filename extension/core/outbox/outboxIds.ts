import crypto from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
let lastMs = 0;
let counter = 0;

/**
 * A message id in opencode's own format (`msg_` + 12 hex digits of time·4096+counter + 14 base62
 * characters), chosen when the prompt is created and sent with every attempt: the agent stores the
 * prompt under it, and the API never forwards a prompt whose message already exists.
 */
export function newMessageId(now: number = Date.now()): string {
  if (now !== lastMs) {
    lastMs = now;
    counter = 0;
  }
  counter++;
  const stamp = (BigInt(now) * 0x1000n + BigInt(counter)).toString(16).padStart(12, '0').slice(-12);
  return `msg_${stamp}${randomBase62(14)}`;
}

/** The Idempotency-Key of one outbox item: every replay of the item sends the same one. */
export function newIdempotencyKey(): string {
  return `hgr-${crypto.randomUUID()}`;
}

function randomBase62(n: number): string {
  const bytes = crypto.randomBytes(n);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return out;
}
