// Every message between the extension host and a webview: one zod schema each, discriminated on
// `type`. Both sides validate with these schemas; the types come from z.infer. zod/mini keeps the
// webview bundles small (it tree-shakes; the classic API does not) and parses the same way.
// Imports only zod: the host maps contract objects (backend/contract) to the view shapes below.
import * as z from 'zod/mini';

// ── Shared pieces ────────────────────────────────────────────────────────────────────────────────

/** Correlates a request from the webview with the host's `response`. */
export const RequestId = z.string().check(z.minLength(1), z.maxLength(64));

/** The webview's first message: the host posts nothing before it (it would be lost). */
export const Ready = z.strictObject({ type: z.literal('ready') });

/** The host's answer to any request: `error` (a sentence for people) exactly when `ok` is false. */
export const ResponseMessage = z.strictObject({
  type: z.literal('response'),
  requestId: RequestId,
  ok: z.boolean(),
  error: z.optional(z.string()),
}).check(z.refine((r) => r.ok === (r.error === undefined), 'error is set exactly when ok is false'));
export type ResponseMessage = z.infer<typeof ResponseMessage>;

// ── Project details panel ────────────────────────────────────────────────────────────────────────

export const ProjectStatusView = z.enum([
  'not_deployed', 'deploying', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'failed',
]);
export type ProjectStatusView = z.infer<typeof ProjectStatusView>;

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
]);
export type ProjectWebviewToHost = z.infer<typeof ProjectWebviewToHost>;

/** What the project webview keeps across reloads (vscode.getState): the last state, shown at once. */
export const ProjectPersistedState = z.strictObject({
  v: z.literal(1),
  last: z.nullable(ProjectPanelState),
});
export type ProjectPersistedState = z.infer<typeof ProjectPersistedState>;

// ── Every webview (later panels add their unions here) ───────────────────────────────────────────

export const HostToWebview = ProjectHostToWebview;
export type HostToWebview = z.infer<typeof HostToWebview>;
export const WebviewToHost = ProjectWebviewToHost;
export type WebviewToHost = z.infer<typeof WebviewToHost>;

// ── Typed handling ───────────────────────────────────────────────────────────────────────────────

type Message = { type: string };

/** One handler per message type: a missing or misspelt handler is a compile error. */
export type MessageHandlers<M extends Message, R = unknown> = {
  [K in M['type']]: (message: Extract<M, { type: K }>) => R;
};

/** The messages of a union that are requests (carry a requestId), and the rest. */
export type RequestOf<M extends Message> = Extract<M, { requestId: string }>;
/** A request as the caller writes it: the ipc module adds the id. */
export type RequestBody<M extends Message> = RequestOf<M> extends infer R ? R extends Message ? Omit<R, 'requestId'> : never : never;

/** Calls the handler for `message.type`. */
export function dispatch<M extends Message, R>(handlers: MessageHandlers<M, R>, message: M): R {
  const handler = handlers[message.type as M['type']] as (m: M) => R;
  return handler(message);
}
