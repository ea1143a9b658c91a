// The Chat panel ⇄ its host (see common.ts for the conventions).
// The host normalises opencode's shapes (sessionID → sessionId, …) into these; parts stay loose
// (looseObject) so a field opencode adds later does not drop the whole message.
import * as z from 'zod/mini';
import { Ready, RequestId, ResponseMessage, ProjectStatusView } from './common';

const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Json = z.record(z.string(), z.unknown());
const Tokens = z.looseObject({
  input: z.number(), output: z.number(), reasoning: z.number(),
  cache: z.looseObject({ read: z.number(), write: z.number() }),
});
export type ChatTokens = z.infer<typeof Tokens>;

export const ChatProject = z.strictObject({
  id: Id,
  name: z.string(),
  status: ProjectStatusView,
  /** on a desktop tier: the chat offers Open Desktop */
  desktop: z.optional(z.boolean()),
});
export type ChatProject = z.infer<typeof ChatProject>;

export const ChatSession = z.strictObject({
  id: Id,
  title: z.string(),
  /** epoch ms of the last change, for ordering the list */
  updated: z.number(),
  parentId: z.optional(Id),
});
export type ChatSession = z.infer<typeof ChatSession>;

export const ChatModel = z.strictObject({ providerId: z.string(), modelId: z.string(), name: z.string() });
export type ChatModel = z.infer<typeof ChatModel>;
export const ChatAgent = z.strictObject({ name: z.string(), description: z.optional(z.string()) });
export type ChatAgent = z.infer<typeof ChatAgent>;
/** One of the agent's slash commands (opencode's GET /command): the `/` picker's items. */
export const ChatCommand = z.strictObject({ name: z.string(), description: z.optional(z.string()) });
export type ChatCommand = z.infer<typeof ChatCommand>;

/** An error as opencode reports it (`MessageAbortedError`, `APIError`, `ProviderAuthError`, …). */
export const ChatError = z.strictObject({ name: z.string(), message: z.optional(z.string()) });
export type ChatError = z.infer<typeof ChatError>;

export const ChatMessageInfo = z.strictObject({
  id: Id,
  sessionId: Id,
  role: z.enum(['user', 'assistant']),
  time: z.strictObject({ created: z.number(), completed: z.optional(z.number()) }),
  agent: z.optional(z.string()),
  providerId: z.optional(z.string()),
  modelId: z.optional(z.string()),
  error: z.optional(ChatError),
  cost: z.optional(z.number()),
  tokens: z.optional(Tokens),
  finish: z.optional(z.string()),
});
export type ChatMessageInfo = z.infer<typeof ChatMessageInfo>;

const partBase = { id: Id, messageId: Id };
export const ChatToolState = z.looseObject({
  status: z.enum(['pending', 'running', 'completed', 'error']),
  input: z.optional(Json),
  title: z.optional(z.string()),
  output: z.optional(z.string()),
  error: z.optional(z.string()),
  time: z.optional(z.looseObject({ start: z.number(), end: z.optional(z.number()) })),
});
export type ChatToolState = z.infer<typeof ChatToolState>;

export const ChatTextPart = z.looseObject({
  ...partBase, type: z.literal('text'), text: z.string(), synthetic: z.optional(z.boolean()),
});
export const ChatReasoningPart = z.looseObject({ ...partBase, type: z.literal('reasoning'), text: z.string() });
export const ChatToolPart = z.looseObject({
  ...partBase, type: z.literal('tool'), tool: z.string(), callId: z.string(), state: ChatToolState,
});
export const ChatStepFinishPart = z.looseObject({
  ...partBase, type: z.literal('step-finish'), reason: z.optional(z.string()), cost: z.number(), tokens: Tokens,
});
export const ChatFilePart = z.looseObject({
  ...partBase, type: z.literal('file'), mime: z.string(), url: z.string(), filename: z.optional(z.string()),
});
const KNOWN_PART_TYPES: readonly string[] = ['text', 'reasoning', 'tool', 'step-finish', 'file'];
/** Any other part type (step-start, snapshot, patch, …): kept in order, mostly not shown. A known type
 * that fails its own schema is refused, not passed off as "other". */
export const ChatOtherPart = z.looseObject({
  ...partBase,
  type: z.string().check(
    z.refine((t) => !KNOWN_PART_TYPES.includes(t), 'a known part type that does not match its schema'),
  ),
});
export const ChatPart = z.union([
  ChatTextPart, ChatReasoningPart, ChatToolPart, ChatStepFinishPart, ChatFilePart, ChatOtherPart,
]);
export type ChatTextPart = z.infer<typeof ChatTextPart>;
export type ChatReasoningPart = z.infer<typeof ChatReasoningPart>;
export type ChatToolPart = z.infer<typeof ChatToolPart>;
export type ChatStepFinishPart = z.infer<typeof ChatStepFinishPart>;
export type ChatFilePart = z.infer<typeof ChatFilePart>;
export type ChatPart = z.infer<typeof ChatPart>;

export const ChatMessage = z.strictObject({ info: ChatMessageInfo, parts: z.array(ChatPart) });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatStatus = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('idle') }),
  z.strictObject({ type: z.literal('busy') }),
  /** `next`: epoch ms of the next attempt */
  z.strictObject({ type: z.literal('retry'), attempt: z.number(), next: z.number(), message: z.optional(z.string()) }),
]);
export type ChatStatus = z.infer<typeof ChatStatus>;

export const PermissionReply = z.enum(['once', 'always', 'reject']);
export type PermissionReply = z.infer<typeof PermissionReply>;

export const ChatPermission = z.strictObject({
  id: Id,
  sessionId: Id,
  /** `bash`, `edit`, … */
  permission: z.string(),
  patterns: z.array(z.string()),
  metadata: Json,
  always: z.array(z.string()),
  tool: z.optional(z.strictObject({ messageId: Id, callId: z.string() })),
});
export type ChatPermission = z.infer<typeof ChatPermission>;

/** A file (optionally a line range) the user mentioned with `@`. */
export const Mention = z.strictObject({
  path: z.string().check(z.minLength(1), z.maxLength(4096)),
  range: z.optional(z.strictObject({
    start: z.number().check(z.int(), z.positive()),
    end: z.number().check(z.int(), z.positive()),
  })),
});
export type Mention = z.infer<typeof Mention>;

export const MentionResult = z.strictObject({
  path: z.string(),
  /** where the file lives: the VS Code workspace, the container, or both */
  source: z.enum(['workspace', 'container', 'both']),
  kind: z.optional(z.enum(['file', 'directory'])),
});
export type MentionResult = z.infer<typeof MentionResult>;

export const ModelRef = z.strictObject({ providerId: z.string(), modelId: z.string() });
export type ModelRef = z.infer<typeof ModelRef>;

export const QueuedPrompt = z.strictObject({
  id: Id,
  sessionId: Id,
  text: z.string(),
  mentions: z.array(Mention),
  /** why it could not be sent (it stays queued with a Retry) */
  error: z.optional(z.string()),
});
export type QueuedPrompt = z.infer<typeof QueuedPrompt>;

export const ConnectionState = z.enum(['connected', 'reconnecting', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** Starting a stopped project because a prompt was sent to it: `null` when nothing is going on. */
export const ChatStarting = z.nullable(z.strictObject({
  phase: z.enum(['starting', 'failed']),
  /** what happened and what to do next (failed), or the progress (starting) */
  message: z.string(),
}));
export type ChatStarting = z.infer<typeof ChatStarting>;

/** One file the session changed (opencode's /session/:id/diff, without the patch). */
export const ChatChangedFile = z.strictObject({
  file: z.string(),
  status: z.enum(['added', 'deleted', 'modified']),
  additions: z.number(),
  deletions: z.number(),
});
export type ChatChangedFile = z.infer<typeof ChatChangedFile>;

export const ChatInit = z.strictObject({
  type: z.literal('chat.init'),
  project: ChatProject,
  sessions: z.array(ChatSession),
  activeSessionId: z.nullable(Id),
  models: z.array(ChatModel),
  agents: z.array(ChatAgent),
  commands: z.optional(z.array(ChatCommand)),
  model: z.optional(ModelRef),
  agent: z.optional(z.string()),
  /** the persisted draft of the active session (the host keeps drafts across reloads too) */
  draft: z.optional(z.string()),
});

export const ChatHostToWebview = z.discriminatedUnion('type', [
  ChatInit,
  z.strictObject({ type: z.literal('chat.project'), project: ChatProject }),
  /**
   * The agent's models after a provider change (or a stale choice): `model` is what the next turn
   * uses; `notice` says why it changed; `needsRedeploy` why only a redeploy gives the agent its provider.
   */
  z.strictObject({
    type: z.literal('chat.models'), models: z.array(ChatModel), model: z.optional(ModelRef),
    notice: z.optional(z.string()), needsRedeploy: z.optional(z.string()),
    /** The agent's agents again, when its config files changed (extension/agentFiles). */
    agents: z.optional(z.array(ChatAgent)),
    /** Its slash commands again, likewise (a new .opencode/command/x.md). */
    commands: z.optional(z.array(ChatCommand)),
  }),
  z.strictObject({ type: z.literal('chat.sessions'), sessions: z.array(ChatSession), activeSessionId: z.nullable(Id) }),
  /** One page of a session's transcript (oldest first). `replace`: the first page, or a resync after a gap. */
  z.strictObject({
    type: z.literal('chat.transcript'),
    sessionId: Id,
    messages: z.array(ChatMessage),
    replace: z.boolean(),
    /** more, older messages exist */
    hasOlder: z.boolean(),
  }),
  z.strictObject({ type: z.literal('chat.message'), info: ChatMessageInfo }),
  z.strictObject({ type: z.literal('chat.part'), sessionId: Id, part: ChatPart }),
  z.strictObject({
    type: z.literal('chat.delta'), sessionId: Id, messageId: Id, partId: Id,
    field: z.literal('text'), delta: z.string(),
  }),
  z.strictObject({ type: z.literal('chat.status'), sessionId: Id, status: ChatStatus }),
  z.strictObject({ type: z.literal('chat.permission'), request: ChatPermission }),
  z.strictObject({ type: z.literal('chat.permissionReplied'), sessionId: Id, requestId: Id, reply: PermissionReply }),
  z.strictObject({ type: z.literal('chat.error'), sessionId: Id, error: ChatError }),
  z.strictObject({ type: z.literal('chat.connection'), state: ConnectionState }),
  /**
   * The agent cannot be reached and the transcript shown is the offline store's copy (read-only until
   * it is back): when it was saved, and how long ago in words. `null`: live again.
   */
  z.strictObject({ type: z.literal('chat.offlineCopy'), copy: z.nullable(z.strictObject({ savedAt: z.number(), age: z.string() })) }),
  z.strictObject({ type: z.literal('chat.queue'), items: z.array(QueuedPrompt) }),
  z.strictObject({ type: z.literal('chat.mentionResults'), seq: z.number(), items: z.array(MentionResult) }),
  /** "Hangar: Use in Chat": put this mention (a chip) into the composer at the cursor */
  z.strictObject({ type: z.literal('chat.insertMention'), mention: Mention }),
  z.strictObject({ type: z.literal('chat.starting'), starting: ChatStarting }),
  /** `error`: the diff could not be read (files is then empty) */
  /** `source`: the session's own diff, or (when opencode recorded none) the workspace's uncommitted git changes */
  z.strictObject({
    type: z.literal('chat.changes'), sessionId: Id, files: z.array(ChatChangedFile),
    source: z.enum(['session', 'workspace']), error: z.optional(z.string()),
  }),
  ResponseMessage,
]);
export type ChatHostToWebview = z.infer<typeof ChatHostToWebview>;

export const ChatWebviewToHost = z.discriminatedUnion('type', [
  Ready,
  /** `sessionId: null` starts a new session with this prompt. The host queues it when the session is busy. */
  z.strictObject({
    type: z.literal('chat.send'), requestId: RequestId, sessionId: z.nullable(Id),
    text: z.string().check(z.maxLength(1_000_000)), mentions: z.array(Mention),
    model: z.optional(ModelRef), agent: z.optional(z.string()),
  }),
  z.strictObject({ type: z.literal('chat.abort'), requestId: RequestId, sessionId: Id }),
  /** "Start" on the chat's "Project stopped" banner */
  z.strictObject({ type: z.literal('chat.start'), requestId: RequestId }),
  /** "Redeploy" on the chat's needs-redeploy notice */
  z.strictObject({ type: z.literal('chat.redeploy'), requestId: RequestId }),
  z.strictObject({
    type: z.literal('chat.permissionReply'), requestId: RequestId, sessionId: Id,
    permissionId: Id, reply: PermissionReply,
  }),
  z.strictObject({ type: z.literal('chat.newSession'), requestId: RequestId }),
  z.strictObject({ type: z.literal('chat.switchSession'), requestId: RequestId, sessionId: Id }),
  z.strictObject({
    type: z.literal('chat.renameSession'), requestId: RequestId, sessionId: Id,
    title: z.string().check(z.minLength(1), z.maxLength(500)),
  }),
  z.strictObject({ type: z.literal('chat.deleteSession'), requestId: RequestId, sessionId: Id }),
  z.strictObject({ type: z.literal('chat.loadOlder'), sessionId: Id, before: Id }),
  z.strictObject({ type: z.literal('chat.queue.edit'), id: Id, text: z.string() }),
  z.strictObject({ type: z.literal('chat.queue.cancel'), id: Id }),
  z.strictObject({ type: z.literal('chat.queue.retry'), id: Id }),
  /** debounced by the webview */
  z.strictObject({
    type: z.literal('chat.draft'), sessionId: z.nullable(Id), text: z.string().check(z.maxLength(1_000_000)),
  }),
  /** the host opens it (after a confirmation for external URLs); the webview never navigates */
  z.strictObject({ type: z.literal('chat.openLink'), url: z.string().check(z.maxLength(8192)) }),
  z.strictObject({ type: z.literal('chat.copy'), text: z.string() }),
  /** desktop-tier projects: the host runs "Hangar: Open Desktop" */
  z.strictObject({ type: z.literal('chat.openDesktop') }),
  z.strictObject({ type: z.literal('chat.mentionQuery'), seq: z.number(), query: z.string().check(z.maxLength(1000)) }),
  /** stop waiting for the project to start (queued prompts stay, with an error and a Retry) */
  z.strictObject({ type: z.literal('chat.start.cancel') }),
  /** read the session's diff again; answered with `chat.changes` */
  z.strictObject({ type: z.literal('chat.changes.load'), requestId: RequestId, sessionId: Id }),
  /** open one changed file in VS Code's diff editor */
  z.strictObject({
    type: z.literal('chat.changes.open'), requestId: RequestId, sessionId: Id,
    file: z.string().check(z.minLength(1), z.maxLength(4096)),
  }),
]);
export type ChatWebviewToHost = z.infer<typeof ChatWebviewToHost>;

/** Where the transcript of one session was scrolled: pinned to the bottom, or a message and an offset into it. */
export const ChatScroll = z.union([
  z.strictObject({ atBottom: z.literal(true) }),
  z.strictObject({ atBottom: z.literal(false), messageId: Id, offset: z.number() }),
]);
export type ChatScroll = z.infer<typeof ChatScroll>;

export const ChatPersistedState = z.strictObject({
  v: z.literal(1),
  activeSessionId: z.nullable(Id),
  scroll: z.record(z.string(), ChatScroll),
  /** per session id; `''` is the draft of a session not created yet */
  drafts: z.record(z.string(), z.string()),
  /** the panel's project: what the WebviewPanelSerializer reopens after a window reload */
  projectId: z.optional(Id),
});
export type ChatPersistedState = z.infer<typeof ChatPersistedState>;
