import { z } from 'zod';

/** The one error shape every failing route answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Control characters (C0, DEL, C1), line/paragraph separators and bidi overrides: in a name they
 * forge lines and escape codes in terminals (`hangar-api token list`) and logs.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A name people read: trimmed, 1..max characters, no control characters. */
export function displayName(max: number) {
  return z.string().trim().min(1, 'a name is required').max(max).refine((s) => !CONTROL_CHARS.test(s), 'no control characters');
}

export const IsoTime = z.string().describe('ISO 8601 timestamp');
export const Id = z.string().min(1).max(64);

export const Health = z.object({
  ok: z.literal(true),
  version: z.string(),
  uptimeSeconds: z.number(),
});
export type Health = z.infer<typeof Health>;

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
