import { z } from 'zod';

/**
 * `Idempotency-Key` (issue #14): a client-chosen key on the POSTs a client may replay after a lost
 * answer (prompt_async, deploy/start/restart/stop, sync fetch/push/pull). The same user sending the
 * same key within 24 h gets the first successful answer again (status and body, header
 * `Idempotent-Replayed: true`) and the action does not run twice.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';
export const IdempotencyKey = z.string()
  .min(8, 'an Idempotency-Key of at least 8 characters')
  .max(128, 'an Idempotency-Key of at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'an Idempotency-Key of letters, digits and _ . : -');
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;
