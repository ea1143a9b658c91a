import { z } from 'zod';
import { IsoTime } from './common';

/**
 * What the agent proxy (/api/projects/:id/opencode/...) promises. Everything else it relays is
 * opencode's own shape (see docs/opencode.md and contracts/opencode-*-openapi.json).
 */

/** opencode's ids as the proxy accepts them in a path: a prefix and letters/digits, nothing that can traverse. */
const opencodeId = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,80}$`), `${what} (${prefix}_…)`);
export const AgentSessionId = opencodeId('ses', 'an opencode session id');
export const AgentMessageId = opencodeId('msg', 'an opencode message id');
export const AgentPermissionId = opencodeId('per', 'an opencode permission request id');

/**
 * One frame of GET /api/projects/:id/opencode/event. `id` is the API's own (monotonic per
 * process; send it back as Last-Event-ID), `type` is also the SSE `event:` line, `properties` is
 * opencode's payload unchanged. Two API-made types: `resync` (events may have been missed:
 * re-read /session/status and the open session's messages over REST) and `ready` (the relay
 * listens to the agent; events from now on arrive).
 */
export const AgentEvent = z.object({
  id: z.number().int().positive(),
  at: IsoTime,
  type: z.string().min(1),
  properties: z.unknown(),
});
export type AgentEvent = z.infer<typeof AgentEvent>;

export const AgentResyncReason = z.enum(['api_restarted', 'unknown_id', 'too_old', 'agent_stream_gap']);
export type AgentResyncReason = z.infer<typeof AgentResyncReason>;

export const AgentResyncEvent = AgentEvent.extend({
  type: z.literal('resync'),
  properties: z.object({ reason: AgentResyncReason, message: z.string() }),
});
export type AgentResyncEvent = z.infer<typeof AgentResyncEvent>;

export const AgentReadyEvent = AgentEvent.extend({
  type: z.literal('ready'),
  properties: z.object({ upstream: z.literal('connected') }),
});

/** GET /session/status: busy or retrying sessions; idle ones are omitted. */
export const AgentSessionStatus = z.record(z.string(), z.looseObject({
  type: z.enum(['idle', 'busy', 'retry']),
  attempt: z.number().optional(),
  message: z.string().optional(),
  next: z.number().optional(),
}));
export type AgentSessionStatus = z.infer<typeof AgentSessionStatus>;

/** The error codes the proxy itself answers with (in the usual {"error":{code,message,details?}}). */
export const AgentProxyErrorCode = z.enum([
  'not_proxied', // 404: the route is not on the allow-list
  'project_not_running', // 409: start the project first
  'agent_unreachable', // 502: the agent did not answer
  'agent_timeout', // 504: the agent took longer than HANGAR_AGENT_TIMEOUT_MS
  'agent_auth_failed', // 502: the agent refused the project's password (redeploy)
  'agent_rejected', // 4xx from the agent, its body in details
  'agent_failed', // 502: 5xx from the agent, its body in details
]);
export type AgentProxyErrorCode = z.infer<typeof AgentProxyErrorCode>;
