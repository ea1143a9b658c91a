// The chat webview's normalised store: plain data and functions, no DOM. Messages by id, parts by
// id, the order of both, and what is buffered until it can be applied. The reducers (reduce.ts)
// update it in place and bump revision numbers, so a streamed token costs O(1) however long the
// session is; the view re-renders a row only when that message's `rev` changed.
import type {
  ChatAgent, ChatCommand, ChatChangedFile, ChatError, ChatMessageInfo, ChatModel, ChatPart, ChatPermission, ChatProject, ChatSession, ChatStarting, ChatStatus, ConnectionState, MentionResult, ModelRef, PermissionReply, QueuedPrompt,
} from '../../protocol/chat';

export interface MessageEntry {
  info: ChatMessageInfo;
  /** part ids in order */
  partIds: string[];
  /** bumped on every change to the message or one of its parts */
  rev: number;
  /** created from a part or delta before its `chat.message` arrived */
  placeholder: boolean;
}

export interface PermissionEntry {
  request: ChatPermission;
  reply: PermissionReply | null;
  /** a reply was sent and not yet confirmed */
  sending: boolean;
}

export interface PendingDelta { messageId: string; delta: string }

export interface SessionState {
  id: string;
  messages: Map<string, MessageEntry>;
  /** message ids, oldest first */
  order: string[];
  parts: Map<string, ChatPart>;
  /** deltas for parts that have not arrived yet, by part id */
  pendingDeltas: Map<string, PendingDelta[]>;
  status: ChatStatus;
  /** the last session-level error (cleared when the next turn starts) */
  error: ChatError | null;
  permissions: Map<string, PermissionEntry>;
  hasOlder: boolean;
  /** a transcript page arrived at least once */
  loaded: boolean;
  /** turns that ended (busy → idle) since the webview started: what depends on the agent's work reads again */
  turnsEnded: number;
  /** bumped when the order or a message changes */
  rev: number;
}

export interface MentionState { seq: number; items: MentionResult[] }

/** The session's changed files, as last read (`loading` while a read is under way). */
export interface ChangesState {
  files: ChatChangedFile[];
  source: 'session' | 'workspace';
  error: string | null;
  loading: boolean;
}

export interface ChatState {
  project: ChatProject | null;
  sessions: ChatSession[];
  activeSessionId: string | null;
  models: ChatModel[];
  agents: ChatAgent[];
  /** the agent's slash commands: the composer's `/` picker */
  commands: ChatCommand[];
  model: ModelRef | null;
  agent: string | null;
  /** why the model changed by itself (a provider change, a stale choice), until dismissed */
  modelNotice: string | null;
  /** the agent needs a redeploy to take its provider (with a Redeploy button) */
  needsRedeploy: string | null;
  connection: ConnectionState;
  /** the transcript shown is the offline copy saved this long ago (read-only); null when live */
  offlineCopy: string | null;
  queue: QueuedPrompt[];
  /** starting the stopped project because a prompt waits (null: nothing going on) */
  starting: ChatStarting;
  /** by session id */
  changes: Map<string, ChangesState>;
  bySession: Map<string, SessionState>;
  /** by session id; '' is the draft of a session not created yet */
  drafts: Record<string, string>;
  mentions: MentionState;
  rev: number;
}

export function createChatState(): ChatState {
  return {
    project: null, sessions: [], activeSessionId: null, models: [], agents: [], commands: [], model: null, agent: null,
    modelNotice: null, needsRedeploy: null,
    connection: 'connected', offlineCopy: null, queue: [], starting: null, changes: new Map(), bySession: new Map(), drafts: {}, mentions: { seq: 0, items: [] }, rev: 0,
  };
}

export function createSessionState(id: string): SessionState {
  return {
    id, messages: new Map(), order: [], parts: new Map(), pendingDeltas: new Map(),
    status: { type: 'idle' }, error: null, permissions: new Map(), hasOlder: false, loaded: false, turnsEnded: 0, rev: 0,
  };
}

export function sessionOf(state: ChatState, id: string): SessionState {
  let s = state.bySession.get(id);
  if (!s) {
    s = createSessionState(id);
    state.bySession.set(id, s);
  }
  return s;
}

export function draftKey(sessionId: string | null): string {
  return sessionId ?? '';
}
