import { z } from 'zod';
import { IsoTime, listOf } from './common';

/** What happened to a project (issue #15's per-project timeline). */
export const TimelineKind = z.enum([
  'deploy', 'start', 'stop', 'restart', 'crash', 'delete', 'push', 'pull', 'fetch', 'import', 'config',
  'tier', 'session-start', 'session-end',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

/** Who caused it: the user through the API, the agent, or the server itself (a crash, an auto-sync). */
export const TimelineActor = z.enum(['user', 'agent', 'system']);
export type TimelineActor = z.infer<typeof TimelineActor>;

export const TimelineOutcome = z.enum(['succeeded', 'failed', 'cancelled', 'observed']);
export type TimelineOutcome = z.infer<typeof TimelineOutcome>;

export const TimelineEntry = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: TimelineKind,
  actor: TimelineActor,
  outcome: TimelineOutcome,
  /** The reason of a crash, the error of a failed operation, or what changed; null when there is nothing to add. */
  detail: z.string().nullable(),
  at: IsoTime,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TIMELINE_PAGE_MAX = 200;
export const TIMELINE_PAGE_DEFAULT = 50;
/** Entries kept per project; older ones are dropped as new ones arrive. */
export const TIMELINE_RETENTION = 1000;

export const TimelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(TIMELINE_PAGE_MAX).default(TIMELINE_PAGE_DEFAULT)
    .describe(`entries per page, at most ${TIMELINE_PAGE_MAX}`),
  cursor: z.string().regex(/^\d{1,16}\.[0-9a-f-]{36}$/, 'nextCursor of the previous page').optional()
    .describe('nextCursor of the previous page'),
  kind: z.string().max(200).optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const parsed = z.array(TimelineKind).safeParse(s.split(','));
      if (!parsed.success) {
        const kinds = TimelineKind.options.join(', ');
        ctx.addIssue({ code: 'custom', message: `kinds are a comma-separated list of ${kinds}` });
        return z.NEVER;
      }
      return parsed.data;
    })
    .describe(`only these kinds, comma-separated (${TimelineKind.options.join(', ')})`),
});
export type TimelineQuery = z.input<typeof TimelineQuery>;

/** Newest first; nextCursor gives the next (older) page, null on the last. */
export const TimelinePage = listOf(TimelineEntry).extend({ nextCursor: z.string().nullable() });
export type TimelinePage = z.infer<typeof TimelinePage>;
