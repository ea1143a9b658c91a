import { z } from 'zod';
import { listOf } from './common';

export const RuntimeName = z.enum(['local', 'docker', 'coolify']);
export type RuntimeName = z.infer<typeof RuntimeName>;

/** One runtime this API may run projects on: GET /api/runtimes (Create Project's runtime step). */
export const RuntimeInfo = z.object({
  name: RuntimeName,
  /** HANGAR_RUNTIME: where a new project goes when Create Project does not choose. */
  isDefault: z.boolean(),
  available: z.boolean(),
  /** Why it is unavailable, in words (not configured, unreachable, bad setting). */
  problem: z.string().optional(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfo>;

export const RuntimeList = listOf(RuntimeInfo);
export type RuntimeList = z.infer<typeof RuntimeList>;
