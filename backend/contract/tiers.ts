import { z } from 'zod';
import { displayName, IsoTime, listOf } from './common';

/** Memory sizes as Docker and Coolify write them: "512m", "4g". */
export const MemorySize = z.string().regex(/^[1-9][0-9]*[mg]$/, 'a size like "512m" or "4g"');
export const ExposedPorts = z.string().regex(/^[0-9]{1,5}(,[0-9]{1,5})*$/, 'comma-separated ports like "4096,6080"');
export const TierId = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'lowercase letters, digits and dashes, 2-32 characters');

export const Tier = z.object({
  id: TierId,
  name: z.string(),
  description: z.string(),
  cpus: z.number().positive(),
  memory: MemorySize,
  memoryReservation: MemorySize,
  storageGb: z.number().int().positive(),
  hasDesktopAccess: z.boolean(),
  imageType: z.enum(['cli', 'desktop']),
  exposedPorts: ExposedPorts,
  isDefault: z.boolean(),
  retired: z.boolean(),
  projectCount: z.number().int().nonnegative(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Tier = z.infer<typeof Tier>;

export const TierList = listOf(Tier);
export type TierList = z.infer<typeof TierList>;

export const TierCreate = z.strictObject({
  id: TierId,
  name: displayName(60),
  description: z.string().max(500).default(''),
  cpus: z.number().positive().max(256),
  memory: MemorySize,
  memoryReservation: MemorySize,
  storageGb: z.number().int().positive().max(100_000),
  hasDesktopAccess: z.boolean().default(false),
  imageType: z.enum(['cli', 'desktop']).default('cli'),
  exposedPorts: ExposedPorts.default('4096'),
  isDefault: z.boolean().default(false),
});
export type TierCreate = z.infer<typeof TierCreate>;

export const TierUpdate = z.strictObject({
  name: displayName(60),
  description: z.string().max(500),
  cpus: z.number().positive().max(256),
  memory: MemorySize,
  memoryReservation: MemorySize,
  storageGb: z.number().int().positive().max(100_000),
  hasDesktopAccess: z.boolean(),
  imageType: z.enum(['cli', 'desktop']),
  exposedPorts: ExposedPorts,
  isDefault: z.literal(true),
  retired: z.boolean(),
}).partial();
export type TierUpdate = z.infer<typeof TierUpdate>;
