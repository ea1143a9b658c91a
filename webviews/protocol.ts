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

// ── Chat panel ───────────────────────────────────────────────────────────────────────────────────
// The host normalises opencode's shapes (sessionID → sessionId, …) into these; parts stay loose
// (looseObject) so a field opencode adds later does not drop the whole message.

const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Json = z.record(z.string(), z.unknown());
const Tokens = z.looseObject({
  input: z.number(), output: z.number(), reasoning: z.number(),
  cache: z.looseObject({ read: z.number(), write: z.number() }),
});
export type ChatTokens = z.infer<typeof Tokens>;

export const ChatProject = z.strictObject({ id: Id, name: z.string(), status: ProjectStatusView, /** on a desktop tier: the chat offers Open Desktop */ desktop: z.optional(z.boolean()) });
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

export const ChatTextPart = z.looseObject({ ...partBase, type: z.literal('text'), text: z.string(), synthetic: z.optional(z.boolean()) });
export const ChatReasoningPart = z.looseObject({ ...partBase, type: z.literal('reasoning'), text: z.string() });
export const ChatToolPart = z.looseObject({ ...partBase, type: z.literal('tool'), tool: z.string(), callId: z.string(), state: ChatToolState });
export const ChatStepFinishPart = z.looseObject({ ...partBase, type: z.literal('step-finish'), reason: z.optional(z.string()), cost: z.number(), tokens: Tokens });
export const ChatFilePart = z.looseObject({ ...partBase, type: z.literal('file'), mime: z.string(), url: z.string(), filename: z.optional(z.string()) });
const KNOWN_PART_TYPES: readonly string[] = ['text', 'reasoning', 'tool', 'step-finish', 'file'];
/** Any other part type (step-start, snapshot, patch, …): kept in order, mostly not shown. A known type
 * that fails its own schema is refused, not passed off as "other". */
export const ChatOtherPart = z.looseObject({
  ...partBase,
  type: z.string().check(z.refine((t) => !KNOWN_PART_TYPES.includes(t), 'a known part type that does not match its schema')),
});
export const ChatPart = z.union([ChatTextPart, ChatReasoningPart, ChatToolPart, ChatStepFinishPart, ChatFilePart, ChatOtherPart]);
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
  range: z.optional(z.strictObject({ start: z.number().check(z.int(), z.positive()), end: z.number().check(z.int(), z.positive()) })),
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
  z.strictObject({ type: z.literal('chat.delta'), sessionId: Id, messageId: Id, partId: Id, field: z.literal('text'), delta: z.string() }),
  z.strictObject({ type: z.literal('chat.status'), sessionId: Id, status: ChatStatus }),
  z.strictObject({ type: z.literal('chat.permission'), request: ChatPermission }),
  z.strictObject({ type: z.literal('chat.permissionReplied'), sessionId: Id, requestId: Id, reply: PermissionReply }),
  z.strictObject({ type: z.literal('chat.error'), sessionId: Id, error: ChatError }),
  z.strictObject({ type: z.literal('chat.connection'), state: ConnectionState }),
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
  z.strictObject({ type: z.literal('chat.permissionReply'), requestId: RequestId, sessionId: Id, permissionId: Id, reply: PermissionReply }),
  z.strictObject({ type: z.literal('chat.newSession'), requestId: RequestId }),
  z.strictObject({ type: z.literal('chat.switchSession'), requestId: RequestId, sessionId: Id }),
  z.strictObject({ type: z.literal('chat.renameSession'), requestId: RequestId, sessionId: Id, title: z.string().check(z.minLength(1), z.maxLength(500)) }),
  z.strictObject({ type: z.literal('chat.deleteSession'), requestId: RequestId, sessionId: Id }),
  z.strictObject({ type: z.literal('chat.loadOlder'), sessionId: Id, before: Id }),
  z.strictObject({ type: z.literal('chat.queue.edit'), id: Id, text: z.string() }),
  z.strictObject({ type: z.literal('chat.queue.cancel'), id: Id }),
  z.strictObject({ type: z.literal('chat.queue.retry'), id: Id }),
  /** debounced by the webview */
  z.strictObject({ type: z.literal('chat.draft'), sessionId: z.nullable(Id), text: z.string().check(z.maxLength(1_000_000)) }),
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
  z.strictObject({ type: z.literal('chat.changes.open'), requestId: RequestId, sessionId: Id, file: z.string().check(z.minLength(1), z.maxLength(4096)) }),
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

// ── Desktop (VNC) panel ─────────────────────────────────────────────────────────────────────────
// The host trades its API token for a one-use ticket and gives the webview only the websocket URL
// with that ticket; every (re)connection asks for a fresh one.

/** What the webview reports of its noVNC connection (shown in the panel, read by the probe). */
export const DesktopConnectionState = z.enum(['idle', 'connecting', 'connected', 'disconnected', 'unavailable']);
export type DesktopConnectionState = z.infer<typeof DesktopConnectionState>;

export const DesktopProject = z.strictObject({ id: z.string(), name: z.string(), status: ProjectStatusView });
export type DesktopProject = z.infer<typeof DesktopProject>;

/** A fresh websocket URL (ws(s)://api/.../vnc?ticket=…): single use, valid for under a minute. */
export const DesktopConnect = z.strictObject({ type: z.literal('desktop.connect'), url: z.string().check(z.maxLength(4096)), attempt: z.number().check(z.int()) });
/** No ticket could be had (project stopped, not a desktop tier, API unreachable): a sentence for people. */
export const DesktopUnavailable = z.strictObject({
  type: z.literal('desktop.unavailable'), message: z.string(), retry: z.boolean(),
  /** `redeploy`: the runtime gave up on the desktop; only a redeploy brings it back (the panel shows that button). */
  action: z.optional(z.enum(['redeploy'])),
});
export const DesktopProjectMessage = z.strictObject({ type: z.literal('desktop.project'), project: DesktopProject });

/** Test-only probes the in-VS-Code suite sends through the host (hangar.internal.desktop). */
export const DesktopTestAction = z.discriminatedUnion('action', [
  /** Colours (#rrggbb) of framebuffer points, read from noVNC's canvas. */
  z.strictObject({ action: z.literal('sample'), points: z.array(z.strictObject({ x: z.number(), y: z.number() })).check(z.maxLength(64)) }),
  /** A key typed on the screen (keydown + keyup dispatched to noVNC's canvas). */
  z.strictObject({ action: z.literal('type'), key: z.string().check(z.minLength(1), z.maxLength(1)) }),
  z.strictObject({ action: z.literal('viewOnly'), value: z.boolean() }),
  /** Presses the Screenshot button's action (the host saves where the test said). */
  z.strictObject({ action: z.literal('screenshot') }),
]);
export type DesktopTestAction = z.infer<typeof DesktopTestAction>;
export const DesktopTest = z.strictObject({ type: z.literal('desktop.test'), seq: z.number(), test: DesktopTestAction });

export const DesktopHostToWebview = z.discriminatedUnion('type', [
  DesktopConnect,
  DesktopUnavailable,
  DesktopProjectMessage,
  DesktopTest,
  ResponseMessage,
]);
export type DesktopHostToWebview = z.infer<typeof DesktopHostToWebview>;

export const DesktopRequestTicket = z.strictObject({ type: z.literal('desktop.requestTicket'), reason: z.enum(['open', 'reconnect']) });
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
export const DesktopScreenshot = z.strictObject({ type: z.literal('desktop.screenshot'), requestId: RequestId, png: z.string().check(z.maxLength(64 * 1024 * 1024)) });
export const DesktopTestResult = z.strictObject({
  type: z.literal('desktop.testResult'), seq: z.number(), ok: z.boolean(),
  colors: z.optional(z.array(z.string())), error: z.optional(z.string()),
});

export const DesktopWebviewToHost = z.discriminatedUnion('type', [
  Ready,
  DesktopRequestTicket,
  DesktopRedeploy,
  DesktopStateMessage,
  DesktopScreenshot,
  DesktopTestResult,
]);
export type DesktopWebviewToHost = z.infer<typeof DesktopWebviewToHost>;

/** What the desktop webview keeps across reloads. */
export const DesktopPersistedState = z.strictObject({
  v: z.literal(1),
  viewOnly: z.boolean(),
  scale: z.enum(['fit', 'native']),
});
export type DesktopPersistedState = z.infer<typeof DesktopPersistedState>;

// ── Every webview (later panels add their unions here) ───────────────────────────────────────────

export const HostToWebview = z.union([ProjectHostToWebview, ChatHostToWebview, DesktopHostToWebview]);
export type HostToWebview = z.infer<typeof HostToWebview>;
export const WebviewToHost = z.union([ProjectWebviewToHost, ChatWebviewToHost, DesktopWebviewToHost]);
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
