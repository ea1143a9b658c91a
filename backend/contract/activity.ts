import { z } from 'zod';
import { IsoTime } from './common';

/**
 * One agent session as the Activity view shows it. `idle` is a session that exists but never ran
 * (created, not prompted yet); the others follow the agent: running → waiting_for_permission →
 * running → complete | error.
 */
export const ActivityStatus = z.enum(['idle', 'running', 'waiting_for_permission', 'complete', 'error']);
export type ActivityStatus = z.infer<typeof ActivityStatus>;

export const ActivitySession = z.object({
  projectId: z.string(),
  projectName: z.string(),
  sessionId: z.string(),
  /** Set for a child session (a subagent's), which the plugin marks. */
  parentSessionId: z.string().nullable(),
  title: z.string(),
  status: ActivityStatus,
  startedAt: IsoTime,
  updatedAt: IsoTime,
  /** Time spent running so far (turns, permission waits included), in ms. */
  durationMs: z.number().int().nonnegative(),
  /** While running: when the current run began, so clients can keep the duration ticking. */
  runningSince: IsoTime.nullable(),
  excerpt: z.string().nullable(),
  error: z.string().nullable(),
  filesChanged: z.number().int().nonnegative().nullable(),
});
export type ActivitySession = z.infer<typeof ActivitySession>;

export const ActivityQuery = z.object({
  status: z.string().optional()
    .transform((v) => (v ? v.split(',') : undefined))
    .pipe(z.array(ActivityStatus).optional())
    .describe('comma-separated statuses'),
  projectId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page'),
});
export type ActivityQuery = z.input<typeof ActivityQuery>;

export const ActivityPage = z.object({
  items: z.array(ActivitySession),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ActivityPage = z.infer<typeof ActivityPage>;

export const NotificationKind = z.enum(['done', 'failed', 'needs-approval']);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const ActivityNotification = z.object({
  kind: NotificationKind,
  projectId: z.string(),
  sessionId: z.string(),
  text: z.string(),
});
export type ActivityNotification = z.infer<typeof ActivityNotification>;

/** What the opencode plugin posts to POST /api/webhooks/opencode (signed; see backend/activity/signature.ts). */
export const OpencodeWebhook = z.object({
  projectId: z.string().min(1).max(64),
  event: z.object({ type: z.string().min(1).max(100), properties: z.record(z.string(), z.unknown()) }),
  meta: z.object({ parentID: z.string().nullish(), excerpt: z.string().max(2000).nullish() }).partial().default({}),
  sentAt: IsoTime,
});
export type OpencodeWebhook = z.infer<typeof OpencodeWebhook>;

export const WebhookAccepted = z.object({ accepted: z.boolean(), changed: z.boolean() });
