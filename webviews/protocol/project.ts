// The Project details panel ⇄ its host (see common.ts for the conventions).
import * as z from 'zod/mini';
import { Ready, RequestId, ResponseMessage, ProjectStatusView } from './common';

/** What the panel shows of a tier (a copy of the contract's fields it needs). */
export const TierView = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  cpus: z.number(),
  memory: z.string(),
  memoryReservation: z.string(),
  storageGb: z.number(),
  hasDesktopAccess: z.boolean(),
  isDefault: z.boolean(),
  retired: z.boolean(),
});
export type TierView = z.infer<typeof TierView>;

/** What the panel shows of a project (a copy of the contract's fields it needs). */
export const ProjectView = z.strictObject({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: ProjectStatusView,
  statusReason: z.nullable(z.string()),
  tierId: z.string(),
  providerOverride: z.nullable(z.string()),
  repository: z.nullable(z.strictObject({
    url: z.string(),
    branch: z.string(),
    sync: z.strictObject({ enabled: z.boolean(), direction: z.enum(['push', 'pull', 'both']) }),
  })),
  runtime: z.string(),
  urls: z.strictObject({ agent: z.nullable(z.string()), vnc: z.nullable(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProjectView = z.infer<typeof ProjectView>;

/** The timeline's kinds (a copy of the contract's TimelineKind). */
export const TimelineKindView = z.enum([
  'deploy', 'start', 'stop', 'restart', 'crash', 'delete', 'push', 'pull', 'fetch', 'import', 'config',
  'tier', 'session-start', 'session-end',
]);
export type TimelineKindView = z.infer<typeof TimelineKindView>;

/** One entry of the project's timeline (a copy of the contract's TimelineEntry fields it shows). */
export const TimelineEntryView = z.strictObject({
  id: z.string(),
  kind: TimelineKindView,
  actor: z.enum(['user', 'agent', 'system']),
  outcome: z.enum(['succeeded', 'failed', 'cancelled', 'observed']),
  detail: z.nullable(z.string()),
  at: z.string(),
});
export type TimelineEntryView = z.infer<typeof TimelineEntryView>;

/** The Timeline section: the entries loaded so far (newest first), the filter, and whether more are older. */
export const TimelineView = z.strictObject({
  entries: z.array(TimelineEntryView),
  kinds: z.array(TimelineKindView),
  hasMore: z.boolean(),
  loading: z.boolean(),
  error: z.nullable(z.string()),
});
export type TimelineView = z.infer<typeof TimelineView>;

/** Everything the panel renders; the host sends it whole (it is small) whenever anything changes. */
export const ProjectPanelState = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('loading') }),
  z.strictObject({
    kind: z.literal('project'),
    project: ProjectView,
    /** null while tiers are still loading or when the tier is unknown to the server. */
    tier: z.nullable(TierView),
    /** Set while the API is unreachable: the data is the last known copy and actions are disabled. */
    offline: z.nullable(z.string()),
    /** Absent until the panel's host has loaded it (issue #15). */
    timeline: z.optional(TimelineView),
  }),
  z.strictObject({ kind: z.literal('deleted'), name: z.string() }),
  z.strictObject({ kind: z.literal('unavailable'), message: z.string() }),
]);
export type ProjectPanelState = z.infer<typeof ProjectPanelState>;

/** Which of the project's links to open; the host looks the URL up itself (never trusts one from the webview). */
export const ProjectLink = z.enum(['agent', 'vnc']);
export type ProjectLink = z.infer<typeof ProjectLink>;

export const ProjectHostToWebview = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: ProjectPanelState }),
  ResponseMessage,
]);
export type ProjectHostToWebview = z.infer<typeof ProjectHostToWebview>;

export const ProjectWebviewToHost = z.discriminatedUnion('type', [
  Ready,
  z.strictObject({ type: z.literal('refresh'), requestId: RequestId }),
  z.strictObject({ type: z.literal('deleteProject'), requestId: RequestId }),
  z.strictObject({ type: z.literal('openLink'), requestId: RequestId, link: ProjectLink }),
  /** Reloads the timeline with these kinds (none: all), or appends the next older page (`more`). */
  z.strictObject({
    type: z.literal('loadTimeline'), requestId: RequestId,
    kinds: z.array(TimelineKindView).check(z.maxLength(20)), more: z.boolean(),
  }),
]);
export type ProjectWebviewToHost = z.infer<typeof ProjectWebviewToHost>;

/** What the project webview keeps across reloads (vscode.getState): the last state, shown at once. */
export const ProjectPersistedState = z.strictObject({
  v: z.literal(1),
  last: z.nullable(ProjectPanelState),
});
export type ProjectPersistedState = z.infer<typeof ProjectPersistedState>;
