// opencode's shapes (only the fields the chat uses), their normalisation into the protocol's views,
// and the translation of one relayed opencode event into what the chat host does with it. No vscode.
import { z } from 'zod';
import {
  ChatPart, type ChatError, type ChatHostToWebview, type ChatMessage, type ChatMessageInfo, type ChatPermission, type ChatSession as ChatSessionView, type ChatStatus,
} from '../../webviews/protocol/chat';

// ── opencode's shapes: only the fields the chat uses ────────────────────────────────────────────

export const OcSession = z.object({
  id: z.string().min(1),
  title: z.string().catch(''),
  parentID: z.string().optional(),
  time: z.object({ created: z.number().optional(), updated: z.number().optional() }).catch({}),
});
export type OcSession = z.infer<typeof OcSession>;
export const OcSessionList = z.array(z.unknown()).transform((items) => items.flatMap((i) => {
  const r = OcSession.safeParse(i);
  return r.success ? [r.data] : [];
}));

const OcError = z.object({ name: z.string(), data: z.object({ message: z.string().optional() }).passthrough().optional() }).passthrough();
const OcTokens = z.object({
  input: z.number(), output: z.number(), reasoning: z.number(),
  cache: z.object({ read: z.number(), write: z.number() }).passthrough(),
}).passthrough();

const OcInfo = z.object({
  id: z.string().min(1),
  sessionID: z.string().min(1),
  role: z.enum(['user', 'assistant']),
  time: z.object({ created: z.number(), completed: z.number().optional() }),
  agent: z.string().optional().catch(undefined),
  providerID: z.string().optional().catch(undefined),
  modelID: z.string().optional().catch(undefined),
  error: OcError.optional().catch(undefined),
  cost: z.number().optional().catch(undefined),
  tokens: OcTokens.optional().catch(undefined),
  finish: z.string().optional().catch(undefined),
});

const OcPartBase = z.object({ id: z.string().min(1), sessionID: z.string().min(1), messageID: z.string().min(1), type: z.string() }).passthrough();

const OcStatus = z.discriminatedUnion('type', [
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('busy') }),
  z.object({ type: z.literal('retry'), attempt: z.number(), next: z.number(), message: z.string().optional() }),
]);

const OcPermission = z.object({
  id: z.string().min(1),
  sessionID: z.string().min(1),
  permission: z.string(),
  patterns: z.array(z.string()).catch([]),
  metadata: z.record(z.string(), z.unknown()).catch({}),
  always: z.array(z.string()).catch([]),
  tool: z.object({ messageID: z.string().min(1), callID: z.string() }).optional().catch(undefined),
});

// ── Normalisation (exported for the tests) ───────────────────────────────────────────────────────

export function sessionView(s: OcSession): ChatSessionView {
  return { id: s.id, title: s.title, updated: s.time.updated ?? s.time.created ?? 0, ...(s.parentID ? { parentId: s.parentID } : {}) };
}

function errorView(e: z.infer<typeof OcError>): ChatError {
  return e.data?.message !== undefined ? { name: e.name, message: e.data.message } : { name: e.name };
}

export function infoView(raw: unknown): ChatMessageInfo | undefined {
  const r = OcInfo.safeParse(raw);
  if (!r.success) return undefined;
  const i = r.data;
  const info: ChatMessageInfo = {
    id: i.id, sessionId: i.sessionID, role: i.role,
    time: i.time.completed !== undefined ? { created: i.time.created, completed: i.time.completed } : { created: i.time.created },
  };
  if (i.agent !== undefined) info.agent = i.agent;
  if (i.providerID !== undefined) info.providerId = i.providerID;
  if (i.modelID !== undefined) info.modelId = i.modelID;
  if (i.error) info.error = errorView(i.error);
  if (i.cost !== undefined) info.cost = i.cost;
  if (i.tokens) info.tokens = i.tokens;
  if (i.finish !== undefined) info.finish = i.finish;
  return info;
}

/** opencode's part → the protocol's (sessionID/messageID/callID renamed); undefined when it does not fit. */
export function partView(raw: unknown): { sessionId: string; part: ChatPart } | undefined {
  const r = OcPartBase.safeParse(raw);
  if (!r.success) return undefined;
  const { sessionID, messageID, callID, ...rest } = r.data as z.infer<typeof OcPartBase> & { callID?: unknown };
  const candidate: Record<string, unknown> = { ...rest, messageId: messageID };
  if (callID !== undefined) candidate.callId = callID;
  const parsed = ChatPart.safeParse(candidate);
  return parsed.success ? { sessionId: sessionID, part: parsed.data } : undefined;
}

export function messageView(raw: unknown): ChatMessage | undefined {
  const r = z.object({ info: z.unknown(), parts: z.array(z.unknown()).catch([]) }).safeParse(raw);
  if (!r.success) return undefined;
  const info = infoView(r.data.info);
  if (!info) return undefined;
  return { info, parts: r.data.parts.flatMap((p) => { const v = partView(p); return v ? [v.part] : []; }) };
}

export function statusView(raw: unknown): ChatStatus | undefined {
  const r = OcStatus.safeParse(raw);
  if (!r.success) return undefined;
  const s = r.data;
  if (s.type !== 'retry') return { type: s.type };
  return s.message !== undefined ? { type: 'retry', attempt: s.attempt, next: s.next, message: s.message } : { type: 'retry', attempt: s.attempt, next: s.next };
}

export function permissionView(raw: unknown): ChatPermission | undefined {
  const r = OcPermission.safeParse(raw);
  if (!r.success) return undefined;
  const p = r.data;
  const view: ChatPermission = { id: p.id, sessionId: p.sessionID, permission: p.permission, patterns: p.patterns, metadata: p.metadata, always: p.always };
  if (p.tool) view.tool = { messageId: p.tool.messageID, callId: p.tool.callID };
  return view;
}

/** A relayed agent event: `{id, at, type, properties}` (backend/contract/agent.ts). */
export interface AgentStreamEvent { type: string; properties: unknown }

export type Translation =
  | { kind: 'post'; sessionId: string; message: ChatHostToWebview }
  | { kind: 'resync' }
  | { kind: 'sessions'; upsert?: OcSession; remove?: string }
  | { kind: 'ignore' };

const Props = z.record(z.string(), z.unknown());

/** One opencode event → what the host does with it. Unknown or malformed events are ignored. */
export function translateEvent(event: AgentStreamEvent, activeSessionId: string | null): Translation {
  if (event.type === 'resync') return { kind: 'resync' };
  const pr = Props.safeParse(event.properties);
  const p = pr.success ? pr.data : {};
  switch (event.type) {
    case 'message.part.delta': {
      const d = z.object({ sessionID: z.string().min(1), messageID: z.string().min(1), partID: z.string().min(1), field: z.string(), delta: z.string() }).safeParse(p);
      if (!d.success || d.data.field !== 'text') return { kind: 'ignore' };
      return { kind: 'post', sessionId: d.data.sessionID, message: { type: 'chat.delta', sessionId: d.data.sessionID, messageId: d.data.messageID, partId: d.data.partID, field: 'text', delta: d.data.delta } };
    }
    case 'message.part.updated': {
      const v = partView(p.part);
      return v ? { kind: 'post', sessionId: v.sessionId, message: { type: 'chat.part', sessionId: v.sessionId, part: v.part } } : { kind: 'ignore' };
    }
    case 'message.updated': {
      const info = infoView(p.info);
      return info ? { kind: 'post', sessionId: info.sessionId, message: { type: 'chat.message', info } } : { kind: 'ignore' };
    }
    case 'session.status': {
      const sessionId = typeof p.sessionID === 'string' ? p.sessionID : undefined;
      const status = statusView(p.status);
      return sessionId && status ? { kind: 'post', sessionId, message: { type: 'chat.status', sessionId, status } } : { kind: 'ignore' };
    }
    case 'session.idle': {
      const sessionId = typeof p.sessionID === 'string' ? p.sessionID : undefined;
      return sessionId ? { kind: 'post', sessionId, message: { type: 'chat.status', sessionId, status: { type: 'idle' } } } : { kind: 'ignore' };
    }
    case 'permission.asked': {
      const request = permissionView(p);
      return request ? { kind: 'post', sessionId: request.sessionId, message: { type: 'chat.permission', request } } : { kind: 'ignore' };
    }
    case 'permission.replied': {
      const r = z.object({ sessionID: z.string().min(1), requestID: z.string().min(1), reply: z.enum(['once', 'always', 'reject']) }).safeParse(p);
      return r.success ? { kind: 'post', sessionId: r.data.sessionID, message: { type: 'chat.permissionReplied', sessionId: r.data.sessionID, requestId: r.data.requestID, reply: r.data.reply } } : { kind: 'ignore' };
    }
    case 'session.error': {
      const sessionId = typeof p.sessionID === 'string' ? p.sessionID : activeSessionId;
      if (!sessionId) return { kind: 'ignore' };
      const e = OcError.safeParse(p.error);
      return { kind: 'post', sessionId, message: { type: 'chat.error', sessionId, error: e.success ? errorView(e.data) : { name: 'UnknownError' } } };
    }
    case 'session.created':
    case 'session.updated': {
      const s = OcSession.safeParse(p.info);
      return s.success ? { kind: 'sessions', upsert: s.data } : { kind: 'ignore' };
    }
    case 'session.deleted': {
      const s = OcSession.safeParse(p.info);
      return s.success ? { kind: 'sessions', remove: s.data.id } : { kind: 'ignore' };
    }
    default:
      return { kind: 'ignore' };
  }
}
