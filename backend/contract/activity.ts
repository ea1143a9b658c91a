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
  /** needs-approval only: the request, so a client can offer Approve (once) / Reject in the notification. */
  permission: z.object({ id: z.string(), name: z.string(), patterns: z.array(z.string()) }).optional(),
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

/** The plugin's own event (not opencode's): the agent ran `git push` with its bash tool, and how it ended. */
export const AGENT_GIT_PUSH = 'hangar.git.push';
export const AgentGitPush = z.object({
  sessionID: z.string().max(128).optional(),
  command: z.string().max(500),
  exit: z.number().int().nullable(),
  ok: z.boolean(),
});
export type AgentGitPush = z.infer<typeof AgentGitPush>;

export const WebhookAccepted = z.object({ accepted: z.boolean(), changed: z.boolean() });

/** Outgoing notification webhook (one per user): where notifications also go, for a phone or a chat tool. */
export const NotificationWebhookUrl = z.string().trim().max(2000).refine((v) => {
  try {
    const u = new URL(v);
    if (u.username || u.password) return false;
    if (u.protocol === 'https:') return true;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return u.protocol === 'http:' && (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
  } catch {
    return false;
  }
}, 'an https:// URL without credentials (http:// only to this machine: localhost, 127.x, ::1)');

export const NotificationWebhookPut = z.object({
  url: NotificationWebhookUrl,
  /** HMAC-SHA256 key for X-Hangar-Signature; omitted = keep the stored one, null = no signing. */
  secret: z.string().min(16, 'at least 16 characters').max(200).nullable().optional(),
  kinds: z.array(NotificationKind).min(1, 'choose at least one kind').max(3),
});
export type NotificationWebhookPut = z.infer<typeof NotificationWebhookPut>;

/** The stored webhook as the API shows it: never the secret, only whether there is one. */
export const NotificationWebhook = z.object({
  url: z.string(),
  kinds: z.array(NotificationKind),
  hasSecret: z.boolean(),
  updatedAt: IsoTime,
});
export type NotificationWebhook = z.infer<typeof NotificationWebhook>;

export const NotificationWebhookState = z.object({ webhook: NotificationWebhook.nullable() });
export type NotificationWebhookState = z.infer<typeof NotificationWebhookState>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const NotificationDelivery = z.object({
  id: z.string(),
  createdAt: IsoTime,
  kind: NotificationKind,
  projectId: z.string(),
  projectName: z.string(),
  sessionId: z.string(),
  status: DeliveryStatus,
  /** The receiver's last HTTP status; null when it was not reached. */
  statusCode: z.number().int().nullable(),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
  /** When the next attempt is due (pending only). */
  nextRetryAt: IsoTime.nullable(),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const NotificationDeliveryList = z.object({ items: z.array(NotificationDelivery) });
export type NotificationDeliveryList = z.infer<typeof NotificationDeliveryList>;

/** What Hangar POSTs to the user's webhook URL (signed when a secret is set: see X-Hangar-Signature). */
export const NotificationWebhookPayload = z.object({
  id: z.string(),
  kind: NotificationKind,
  projectId: z.string(),
  projectName: z.string(),
  sessionId: z.string(),
  text: z.string(),
  /** Opens the session in VS Code: vscode://hangar-dev.hangar/session?project=…&session=… */
  link: z.string(),
  createdAt: IsoTime,
});
export type NotificationWebhookPayload = z.infer<typeof NotificationWebhookPayload>;
