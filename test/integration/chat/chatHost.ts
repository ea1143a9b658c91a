// The chat host exactly as the panel wires it, minus vscode: the extension's ApiClient and EventStream
// against a real API (local runtime, real opencode, fake LLM), a ChatController, and the webview's
// own store fed with everything the host posts (as the webview would apply it).
import type { Project, ProjectStatus } from '../../../backend/contract';
import { AgentEvent } from '../../../backend/contract';
import { ApiClient } from '../../../extension/core/apiClient';
import { chatApi, ChatController, type AgentStreamEvent } from '../../../extension/chat/chatController';
import type { PersistedChat } from '../../../extension/chat/chatPersistence';
import { startAndWait } from '../../../extension/chat/projectStarter';
import { EventStream, type StreamState } from '../../../extension/core/eventStream';
import type { Logger } from '../../../extension/core/ports';
import { ChatHostToWebview, type ChatProject } from '../../../webviews/protocol/chat';
import { applyHostMessage } from '../../../webviews/chat/store/reduce';
import { createChatState, type ChatState } from '../../../webviews/chat/store/state';
import { partsOf } from '../../../webviews/chat/store/selectors';
import type { AgentWorld } from '../agent/support';

export const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => console.warn(`      [chat host] ${m}`), error: (m) => console.error(`      [chat host] ${m}`) };

export interface ChatHost {
  controller: ChatController;
  stream: EventStream<AgentStreamEvent>;
  posted: ChatHostToWebview[];
  persisted: PersistedChat[];
  store: ChatState;
  streamStates: StreamState['kind'][];
  diffs: Array<{ file: string; before: string; after: string; title: string }>;
  /** the project's status as the panel's store would have it (polled from the API) */
  setStatus(status: ProjectStatus): void;
  close(): void;
}

export function chatProjectOf(p: Project, status?: ProjectStatus): ChatProject {
  return { id: p.id, name: p.name, status: status ?? p.status };
}

/** `baseUrl`: reach the API through something else (test/harness/faultProxy.mjs); `timeoutMs`: the client's per-request timeout. */
export function startChatHost(world: AgentWorld, opts: { persisted?: PersistedChat; status?: ProjectStatus; baseUrl?: string; timeoutMs?: number } = {}): ChatHost {
  const baseUrl = opts.baseUrl ?? world.api.url;
  const api = new ApiClient({ baseUrl, token: world.api.adminToken, fetch, timeoutMs: opts.timeoutMs ?? 60_000 });
  const posted: ChatHostToWebview[] = [];
  const persisted: PersistedChat[] = [];
  const store = createChatState();
  const streamStates: StreamState['kind'][] = [];
  const diffs: ChatHost['diffs'] = [];
  let status: ProjectStatus = opts.status ?? 'running'; // startAgentWorld deployed it
  const listeners = new Set<() => void>();
  const id = world.project.id;
  // eslint-disable-next-line prefer-const -- assigned after the controller that refers to it
  let stream: EventStream<AgentStreamEvent>;
  const controller = new ChatController(chatApi(api, id), {
    post: (m) => {
      const r = ChatHostToWebview.safeParse(m);
      if (!r.success) throw new Error(`invalid ${m.type}: ${r.error.message}`);
      posted.push(m);
      if (m.type !== 'response') applyHostMessage(store, m);
    },
    confirmExternal: () => Promise.resolve(false),
    openExternal: () => Promise.resolve(false),
    copy: () => Promise.resolve(),
    persist: (s) => { persisted.push(structuredClone(s)); },
    openDiff: (d) => { diffs.push(d); return Promise.resolve(); },
    startProject: async (signal) => {
      // The panel watches its store (kept current by the API's events); here a poll stands in for it.
      const poll = setInterval(() => {
        void api.project(id).then((p) => { if (p.status !== status) { status = p.status; for (const l of listeners) l(); } }, () => undefined);
      }, 200);
      try {
        await startAndWait({
          status: () => status,
          onChange: (l) => { listeners.add(l); return { dispose: () => listeners.delete(l) }; },
          start: () => api.startProject(id),
          deploy: () => api.deploy(id),
        }, signal);
      } finally {
        clearInterval(poll);
      }
      stream.reconnectNow();
      controller.setProject(chatProjectOf(world.project, 'running'));
    },
  }, chatProjectOf(world.project, status), quiet, { ...(opts.persisted ? { persisted: opts.persisted } : {}) });
  stream = new EventStream<AgentStreamEvent>({
    baseUrl, token: world.api.adminToken, path: ApiClient.agentEventPath(id), fetch,
    initialBackoffMs: 100, maxBackoffMs: 1000,
    parse: (data) => { const r = AgentEvent.safeParse(data); return r.success ? r.data : undefined; },
    onEvent: (e) => controller.onEvent(e),
    onState: (s) => {
      streamStates.push(s.kind);
      if (s.kind === 'open') {
        controller.connection('connected');
        if (s.reconnected) void controller.resync();
      } else if (s.kind === 'waiting' || s.kind === 'connecting') controller.connection('reconnecting');
    },
  });
  stream.start();
  return {
    controller, stream, posted, persisted, store, streamStates, diffs,
    setStatus: (s) => { status = s; controller.setProject(chatProjectOf(world.project, s)); },
    close: () => { stream.stop(); controller.dispose(); },
  };
}

/** The webview store's copy of a session: [role, text of its text parts] per message. */
export function storeTranscript(store: ChatState, sessionId: string): Array<[string, string]> {
  const s = store.bySession.get(sessionId);
  if (!s) return [];
  return s.order.map((id) => {
    const e = s.messages.get(id)!;
    return [e.info.role, partsOf(s, e).filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('')];
  });
}

/** The agent's own copy: GET /session/:id/message, same shape. */
export async function agentTranscript(world: AgentWorld, sessionId: string): Promise<Array<[string, string]>> {
  const res = await world.alice.get<Array<{ info: { role: string }; parts: Array<{ type: string; text?: string }> }>>(`${world.base}/session/${sessionId}/message`);
  if (res.status !== 200 || !Array.isArray(res.body)) return [[`HTTP ${res.status}`, JSON.stringify(res.body)]];
  return res.body.map((m) => [m.info.role, m.parts.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('')]);
}
