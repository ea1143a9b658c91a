// The host side of one project's chat, without vscode: talks to the agent proxy through ChatApi,
// turns the relayed opencode events into part-level chat.* messages and answers the webview's
// requests. The panel (chatPanel.ts) wires it to a webview; the unit tests drive it with fakes.
import { z } from 'zod';
import {
  ChatPart, type ChatError, type ChatHostToWebview, type ChatMessage, type ChatMessageInfo, type ChatPermission,
  type ChatProject, type ChatSession as ChatSessionView, type ChatStatus, type ChatWebviewToHost, type ConnectionState,
} from '../../webviews/protocol';
import type { PanelHandlers } from '../panels/panelChannel';
import type { Logger } from '../ports';

// ── opencode's shapes: only the fields the chat uses ────────────────────────────────────────────

const OcSession = z.object({
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

// ── The controller ───────────────────────────────────────────────────────────────────────────────

/** The agent proxy calls the chat makes (ApiClient.agent underneath; a fake in the tests). */
export interface ChatApi {
  sessions(): Promise<OcSession[]>;
  createSession(): Promise<OcSession>;
  renameSession(sessionId: string, title: string): Promise<OcSession>;
  deleteSession(sessionId: string): Promise<void>;
  messages(sessionId: string): Promise<unknown[]>;
  /** GET /session/status: sessionID → status (idle sessions are usually absent). */
  statuses(): Promise<Record<string, unknown>>;
  promptAsync(sessionId: string, body: PromptBody): Promise<void>;
  abort(sessionId: string): Promise<void>;
  replyPermission(permissionId: string, reply: 'once' | 'always' | 'reject'): Promise<void>;
}

export interface PromptBody {
  parts: Array<{ type: 'text'; text: string }>;
  model?: { providerID: string; modelID: string };
  agent?: string;
}

/** What the controller needs from VS Code. */
export interface ChatHostPort {
  post(message: ChatHostToWebview): void;
  /** A modal "Open this external URL?"; true to open. */
  confirmExternal(url: string): Promise<boolean>;
  openExternal(url: string): Promise<boolean>;
  copy(text: string): Promise<void>;
}

export class ChatController {
  private sessions: ChatSessionView[] = [];
  private activeSessionId: string | null = null;
  private readonly drafts = new Map<string, string>();
  private disposed = false;
  private resyncing: Promise<void> | undefined;

  constructor(
    private readonly api: ChatApi,
    private readonly port: ChatHostPort,
    private project: ChatProject,
    private readonly log: Logger,
  ) {}

  get activeSession(): string | null { return this.activeSessionId; }

  dispose(): void { this.disposed = true; }

  /** The webview said `ready` (first load or reload): sessions, init, transcript and status. */
  async onReady(): Promise<void> {
    try {
      await this.loadSessions();
      if (this.sessions.length === 0) {
        const created = await this.api.createSession();
        this.sessions = [sessionView(created)];
      }
    } catch (e) {
      // Not running, unreachable…: the webview still gets its init (and shows the project's status).
      this.log.warn(`chat ${this.project.id}: could not load the sessions: ${errorText(e)}`);
      this.post({ type: 'chat.init', project: this.project, sessions: [], activeSessionId: null, models: [], agents: [] });
      return;
    }
    if (!this.activeSessionId || !this.sessions.some((s) => s.id === this.activeSessionId)) this.activeSessionId = this.sessions[0]?.id ?? null;
    this.post({
      type: 'chat.init', project: this.project, sessions: this.sessions, activeSessionId: this.activeSessionId,
      models: [], agents: [], draft: this.drafts.get(this.activeSessionId ?? '') ?? '',
    });
    await this.sendTranscript();
  }

  setProject(project: ChatProject): void {
    this.project = project;
    this.post({ type: 'chat.project', project });
  }

  connection(state: ConnectionState): void {
    this.post({ type: 'chat.connection', state });
  }

  /** An event from the project's relayed stream. */
  onEvent(event: AgentStreamEvent): void {
    const t = translateEvent(event, this.activeSessionId);
    switch (t.kind) {
      case 'post':
        if (t.sessionId === this.activeSessionId) this.post(t.message);
        return;
      case 'resync':
        void this.resync();
        return;
      case 'sessions':
        if (t.upsert) {
          const view = sessionView(t.upsert);
          const i = this.sessions.findIndex((s) => s.id === view.id);
          if (i >= 0) this.sessions[i] = view; else this.sessions.unshift(view);
        }
        if (t.remove) this.sessions = this.sessions.filter((s) => s.id !== t.remove);
        this.postSessions();
        return;
      case 'ignore':
        return;
    }
  }

  /** After a gap (resync event or a reconnect): the transcript and status again, over REST. */
  resync(): Promise<void> {
    this.resyncing ??= (async () => {
      try {
        await this.loadSessions();
        this.postSessions();
        await this.sendTranscript();
      } catch (e) {
        this.log.warn(`chat ${this.project.id}: resync failed: ${errorText(e)}`);
      } finally {
        this.resyncing = undefined;
      }
    })();
    return this.resyncing;
  }

  readonly handlers: PanelHandlers<ChatWebviewToHost> = {
    'chat.send': async (m) => {
      let sessionId = m.sessionId;
      if (!sessionId) {
        const created = await this.api.createSession();
        this.upsertSession(sessionView(created));
        sessionId = created.id;
        await this.switchTo(sessionId);
      }
      // TODO(mentions): opencode `file` parts need the container's absolute path (or inline content);
      // until the host knows the workspace root in the container, mentions travel only in the text.
      const body: PromptBody = { parts: [{ type: 'text', text: m.text }] };
      if (m.model) body.model = { providerID: m.model.providerId, modelID: m.model.modelId };
      if (m.agent) body.agent = m.agent;
      await this.api.promptAsync(sessionId, body);
      this.drafts.delete(sessionId);
    },
    'chat.abort': async (m) => { await this.api.abort(m.sessionId); },
    'chat.permissionReply': async (m) => { await this.api.replyPermission(m.permissionId, m.reply); },
    'chat.newSession': async () => {
      const created = await this.api.createSession();
      this.upsertSession(sessionView(created));
      await this.switchTo(created.id);
    },
    'chat.switchSession': async (m) => {
      if (!this.sessions.some((s) => s.id === m.sessionId)) throw new Error('No such session.');
      await this.switchTo(m.sessionId);
    },
    'chat.renameSession': async (m) => {
      const renamed = await this.api.renameSession(m.sessionId, m.title);
      this.upsertSession(sessionView(renamed));
    },
    'chat.deleteSession': async (m) => {
      await this.api.deleteSession(m.sessionId);
      this.sessions = this.sessions.filter((s) => s.id !== m.sessionId);
      this.drafts.delete(m.sessionId);
      if (this.activeSessionId === m.sessionId) {
        this.activeSessionId = this.sessions[0]?.id ?? null;
        this.postSessions();
        await this.sendTranscript();
      } else {
        this.postSessions();
      }
    },
    // The whole transcript is sent at once (hasOlder: false), so there is nothing older to load yet.
    'chat.loadOlder': () => undefined,
    // TODO(queue): the prompt queue is not implemented on the host yet.
    'chat.queue.edit': () => undefined,
    'chat.queue.cancel': () => undefined,
    'chat.queue.retry': () => undefined,
    'chat.draft': (m) => { this.drafts.set(m.sessionId ?? '', m.text); },
    'chat.openLink': async (m) => {
      const url = safeUrl(m.url);
      if (!url) throw new Error('Only http(s) and mailto links can be opened.');
      if (!(await this.port.confirmExternal(url))) return;
      if (!(await this.port.openExternal(url))) throw new Error(`Could not open ${url}`);
    },
    'chat.copy': async (m) => { await this.port.copy(m.text); },
    // TODO(mentions): the workspace/container file index; answers nothing for now.
    'chat.mentionQuery': (m) => { this.post({ type: 'chat.mentionResults', seq: m.seq, items: [] }); },
  };

  private async switchTo(sessionId: string): Promise<void> {
    this.activeSessionId = sessionId;
    this.postSessions();
    await this.sendTranscript();
  }

  private upsertSession(view: ChatSessionView): void {
    const i = this.sessions.findIndex((s) => s.id === view.id);
    if (i >= 0) this.sessions[i] = view; else this.sessions.unshift(view);
    this.postSessions();
  }

  private async loadSessions(): Promise<void> {
    const list = await this.api.sessions();
    this.sessions = list.map(sessionView).sort((a, b) => b.updated - a.updated);
  }

  private async sendTranscript(): Promise<void> {
    const sessionId = this.activeSessionId;
    if (!sessionId) return;
    const [raw, statuses] = await Promise.all([this.api.messages(sessionId), this.api.statuses().catch(() => ({} as Record<string, unknown>))]);
    if (this.activeSessionId !== sessionId) return; // switched meanwhile
    const messages = raw.flatMap((m) => { const v = messageView(m); return v ? [v] : []; });
    if (messages.length !== raw.length) this.log.warn(`chat ${this.project.id}: ${raw.length - messages.length} message(s) did not match and were left out`);
    this.post({ type: 'chat.transcript', sessionId, messages, replace: true, hasOlder: false });
    this.post({ type: 'chat.status', sessionId, status: statusView(statuses[sessionId]) ?? { type: 'idle' } });
  }

  private postSessions(): void {
    this.post({ type: 'chat.sessions', sessions: this.sessions, activeSessionId: this.activeSessionId });
  }

  private post(message: ChatHostToWebview): void {
    if (!this.disposed) this.port.post(message);
  }
}

/** http(s) and mailto only; anything else (javascript:, command:, file:) is refused. */
export function safeUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The ChatApi over the agent proxy. */
export function chatApi(client: { agent<T>(projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> }, projectId: string): ChatApi {
  const any = z.unknown();
  const none = { parse: (): void => undefined };
  const sid = (id: string) => `/session/${encodeURIComponent(id)}`;
  return {
    sessions: () => client.agent(projectId, 'GET', '/session', OcSessionList),
    createSession: () => client.agent(projectId, 'POST', '/session', OcSession, {}),
    renameSession: (id, title) => client.agent(projectId, 'PATCH', sid(id), OcSession, { title }),
    deleteSession: async (id) => { await client.agent(projectId, 'DELETE', sid(id), any); },
    messages: (id) => client.agent(projectId, 'GET', `${sid(id)}/message`, z.array(z.unknown())),
    statuses: () => client.agent(projectId, 'GET', '/session/status', z.record(z.string(), z.unknown())),
    promptAsync: (id, body) => client.agent(projectId, 'POST', `${sid(id)}/prompt_async`, none, body),
    abort: async (id) => { await client.agent(projectId, 'POST', `${sid(id)}/abort`, any, {}); },
    replyPermission: async (id, reply) => { await client.agent(projectId, 'POST', `/permission/${encodeURIComponent(id)}/reply`, any, { reply }); },
  };
}
