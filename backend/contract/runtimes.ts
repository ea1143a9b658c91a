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

/**
 * A runtime's warm pool (GET/PUT /api/runtimes/:name/warm-pool, admin): agents started ahead of time for first
 * deploys.
 */
export const WarmPoolState = z.object({
  runtime: RuntimeName,
  /** How many agents the runtime keeps started; 0 = off (every deploy starts one cold). */
  size: z.number().int().min(0),
  ready: z.number().int().min(0),
  starting: z.number().int().min(0),
});
export type WarmPoolState = z.infer<typeof WarmPoolState>;

export const WarmPoolBody = z.strictObject({ size: z.number().int().min(0).max(32).describe('0 = off; at most 32') });
export const RuntimeParams = z.object({ name: RuntimeName });

const Resources = z.object({ cpus: z.number().min(0), memoryBytes: z.number().int().min(0) });
/**
 * One Coolify server projects are placed on (GET /api/runtimes/coolify/servers, admin): its registered
 * capacity (HANGAR_COOLIFY_SERVERS) and what the applications Hangar placed there reserve (their limits).
 */
export const CoolifyServerLoad = z.object({
  uuid: z.string(),
  name: z.string(),
  /** Can run the desktop tier's image. */
  desktop: z.boolean(),
  /** Coolify has the server and marks it usable. */
  usable: z.boolean(),
  capacity: Resources,
  /** Can exceed the capacity when the registered capacity was lowered after placement. */
  used: z.object({ cpus: z.number(), memoryBytes: z.number().int() }),
  projects: z.number().int().min(0),
});
export type CoolifyServerLoad = z.infer<typeof CoolifyServerLoad>;
export const CoolifyServerList = listOf(CoolifyServerLoad);
export type CoolifyServerList = z.infer<typeof CoolifyServerList>;
