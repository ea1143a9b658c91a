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
