import { z } from 'zod';

/**
 * The offline store's file, version 1: per server, the last good copy of each list with the time it
 * was fetched, and the transcripts of recent sessions with the time each was last used (the LRU key).
 * List items are kept as the API sent them (`unknown`): readers parse them with the contract's
 * schemas and drop what no longer fits, so a contract change never breaks the whole file.
 */
export const STORE_VERSION = 1;

const Stamped = z.object({ at: z.number(), items: z.array(z.unknown()) });
export type Stamped = z.infer<typeof Stamped>;

export const CachedTranscript = z.object({
  /** when the transcript was fetched */
  at: z.number(),
  /** when it was last written or read: the least recently used goes first */
  usedAt: z.number(),
  title: z.string().optional(),
  messages: z.array(z.unknown()),
});
export type CachedTranscript = z.infer<typeof CachedTranscript>;

export const ServerCache = z.object({
  projects: Stamped.optional(),
  tiers: Stamped.optional(),
  providers: Stamped.optional(),
  activity: Stamped.optional(),
  /** projectId → sessionId → transcript */
  transcripts: z.record(z.string(), z.record(z.string(), CachedTranscript)),
});
export type ServerCache = z.infer<typeof ServerCache>;

export const StoreData = z.object({
  v: z.literal(STORE_VERSION),
  /** server URL → its cache */
  servers: z.record(z.string(), ServerCache),
});
export type StoreData = z.infer<typeof StoreData>;

export type ListSection = 'projects' | 'tiers' | 'providers' | 'activity';

export const emptyStore = (): StoreData => ({ v: STORE_VERSION, servers: {} });
export const emptyServer = (): ServerCache => ({ transcripts: {} });

/** One step from an older version's data to the next; keyed by the version it upgrades from. */
export type StoreMigration = (old: Record<string, unknown>) => Record<string, unknown>;

/** The file's migrations (none yet: version 1 is the first). A file older than the oldest one is rebuilt. */
export const STORE_MIGRATIONS: Readonly<Record<number, StoreMigration>> = {};
