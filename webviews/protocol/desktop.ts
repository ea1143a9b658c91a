// The Desktop (VNC) panel ⇄ its host (see common.ts for the conventions).
// The host trades its API token for a one-use ticket and gives the webview only the websocket URL
// with that ticket; every (re)connection asks for a fresh one.
import * as z from 'zod/mini';
import { Ready, RequestId, ResponseMessage, ProjectStatusView } from './common';

/** What the webview reports of its noVNC connection (shown in the panel). */
export const DesktopConnectionState = z.enum(['idle', 'connecting', 'connected', 'disconnected', 'unavailable']);
export type DesktopConnectionState = z.infer<typeof DesktopConnectionState>;

export const DesktopProject = z.strictObject({ id: z.string(), name: z.string(), status: ProjectStatusView });
export type DesktopProject = z.infer<typeof DesktopProject>;

/** A fresh websocket URL (ws(s)://api/.../vnc?ticket=…): single use, valid for under a minute. */
export const DesktopConnect = z.strictObject({
  type: z.literal('desktop.connect'), url: z.string().check(z.maxLength(4096)), attempt: z.number().check(z.int()),
});
/** No ticket could be had (project stopped, not a desktop tier, API unreachable): a sentence for people. */
export const DesktopUnavailable = z.strictObject({
  type: z.literal('desktop.unavailable'), message: z.string(), retry: z.boolean(),
  /** `redeploy`: the runtime gave up on the desktop; only a redeploy brings it back (the panel shows that button). */
  action: z.optional(z.enum(['redeploy'])),
});
export const DesktopProjectMessage = z.strictObject({ type: z.literal('desktop.project'), project: DesktopProject });

export const DesktopHostToWebview = z.discriminatedUnion('type', [
  DesktopConnect,
  DesktopUnavailable,
  DesktopProjectMessage,
  ResponseMessage,
]);
export type DesktopHostToWebview = z.infer<typeof DesktopHostToWebview>;

export const DesktopRequestTicket = z.strictObject({
  type: z.literal('desktop.requestTicket'), reason: z.enum(['open', 'reconnect']),
});
/** The panel's "Redeploy" button: the host runs the project's deploy (with its confirmation). */
export const DesktopRedeploy = z.strictObject({ type: z.literal('desktop.redeploy') });
export const DesktopStateMessage = z.strictObject({
  type: z.literal('desktop.state'),
  state: DesktopConnectionState,
  detail: z.optional(z.string().check(z.maxLength(2000))),
  viewOnly: z.boolean(),
  scale: z.enum(['fit', 'native']),
  /** framebuffer size once connected */
  width: z.optional(z.number()),
  height: z.optional(z.number()),
  /** connections made so far (each with its own ticket) */
  connects: z.number(),
});
/** The screen as PNG (base64, no data: prefix); the host asks where to save it. */
export const DesktopScreenshot = z.strictObject({
  type: z.literal('desktop.screenshot'), requestId: RequestId, png: z.string().check(z.maxLength(64 * 1024 * 1024)),
});
export const DesktopWebviewToHost = z.discriminatedUnion('type', [
  Ready,
  DesktopRequestTicket,
  DesktopRedeploy,
  DesktopStateMessage,
  DesktopScreenshot,
]);
export type DesktopWebviewToHost = z.infer<typeof DesktopWebviewToHost>;

/** What the desktop webview keeps across reloads. */
export const DesktopPersistedState = z.strictObject({
  v: z.literal(1),
  viewOnly: z.boolean(),
  scale: z.enum(['fit', 'native']),
});
export type DesktopPersistedState = z.infer<typeof DesktopPersistedState>;
