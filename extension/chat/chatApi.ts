// The agent proxy calls the chat makes (ApiClient.agent underneath; a fake in the unit tests).
import { z } from 'zod';
import { OcSession, OcSessionList } from './agentEvents';
import { OcFileDiffList, type FileDiff } from './sessionDiff';

/** The agent proxy calls the chat makes (ApiClient.agent underneath; a fake in the tests). */
export interface ChatApi {
  sessions(): Promise<OcSession[]>;
  createSession(): Promise<OcSession>;
  renameSession(sessionId: string, title: string): Promise<OcSession>;
  deleteSession(sessionId: string): Promise<void>;
  /** GET /session/:id/message: the newest `limit` messages (all without one), oldest first */
  messages(sessionId: string, limit?: number): Promise<unknown[]>;
  /** GET /session/status: sessionID → status (idle sessions are usually absent). */
  statuses(): Promise<Record<string, unknown>>;
  /** `idempotencyKey`: the same for every attempt of one prompt (the API runs it once). */
  promptAsync(sessionId: string, body: PromptBody, idempotencyKey?: string): Promise<void>;
  /** POST /session/:id/command: runs a slash command; resolves when its turn is over. */
  command(sessionId: string, body: CommandBody): Promise<void>;
  abort(sessionId: string): Promise<void>;
  replyPermission(permissionId: string, reply: 'once' | 'always' | 'reject'): Promise<void>;
  /** GET /permission: the requests still waiting for an answer (re-read after a gap). */
  permissions(): Promise<unknown[]>;
  /** GET /config/providers and GET /agent, raw: agentCatalog.ts reads them. */
  providers(): Promise<unknown>;
  agents(): Promise<unknown>;
  /** GET /command, raw: agentCatalog.ts reads it. */
  commands(): Promise<unknown>;
  /** GET /session/:id/diff */
  sessionDiff(sessionId: string): Promise<FileDiff[]>;
  /** GET /vcs/diff?mode=git: the workspace's uncommitted changes */
  workspaceDiff(): Promise<FileDiff[]>;
  /** GET /file/content?path=: the text of a workspace file, undefined when it is not text or gone */
  fileContent(path: string): Promise<string | undefined>;
}

export interface PromptBody {
  /** the text, then one part per @mention (extension/chat/mentions/filePart.ts) */
  parts: Array<{ type: 'text'; text: string; synthetic?: boolean } | { type: 'file'; mime: string; url: string; filename: string }>;
  model?: { providerID: string; modelID: string };
  agent?: string;
  /** opencode's id for the user message, fixed when the prompt was written (extension/core/outbox). */
  messageID?: string;
}

/** A slash command as opencode runs it (backend/contract/agentProxyBodies.ts AgentCommandBody). */
export interface CommandBody {
  command: string;
  arguments: string;
  agent?: string;
  /** `providerID/modelID` */
  model?: string;
}

/** /file/content's answer: text files only. */
const FileContent = z.object({ type: z.string(), content: z.string().optional() }).passthrough()
  .transform((f) => (f.type === 'text' ? f.content : undefined));

/** The ChatApi over the agent proxy. */
export function chatApi(client: {
  agent<T>(projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown, headers?: Record<string, string>): Promise<T>;
}, projectId: string): ChatApi {
  const any = z.unknown();
  const none = { parse: (): void => undefined };
  const sid = (id: string) => `/session/${encodeURIComponent(id)}`;
  return {
    sessions: () => client.agent(projectId, 'GET', '/session', OcSessionList),
    createSession: () => client.agent(projectId, 'POST', '/session', OcSession, {}),
    renameSession: (id, title) => client.agent(projectId, 'PATCH', sid(id), OcSession, { title }),
    deleteSession: async (id) => { await client.agent(projectId, 'DELETE', sid(id), any); },
    messages: (id, limit) => client.agent(projectId, 'GET', `${sid(id)}/message${limit ? `?limit=${limit}` : ''}`, z.array(z.unknown())),
    statuses: () => client.agent(projectId, 'GET', '/session/status', z.record(z.string(), z.unknown())),
    promptAsync: (id, body, key) => client.agent(projectId, 'POST', `${sid(id)}/prompt_async`, none, body, key ? { 'Idempotency-Key': key } : undefined),
    command: async (id, body) => { await client.agent(projectId, 'POST', `${sid(id)}/command`, any, body); },
    abort: async (id) => { await client.agent(projectId, 'POST', `${sid(id)}/abort`, any, {}); },
    replyPermission: async (id, reply) => { await client.agent(projectId, 'POST', `/permission/${encodeURIComponent(id)}/reply`, any, { reply }); },
    permissions: () => client.agent(projectId, 'GET', '/permission', z.array(z.unknown())),
    providers: () => client.agent(projectId, 'GET', '/config/providers', any),
    agents: () => client.agent(projectId, 'GET', '/agent', any),
    commands: () => client.agent(projectId, 'GET', '/command', any),
    sessionDiff: (id) => client.agent(projectId, 'GET', `${sid(id)}/diff`, OcFileDiffList),
    workspaceDiff: () => client.agent(projectId, 'GET', '/vcs/diff?mode=git', OcFileDiffList),
    fileContent: (path) => client.agent(projectId, 'GET', `/file/content?path=${encodeURIComponent(path)}`, FileContent),
  };
}
