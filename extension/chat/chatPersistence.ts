// What the host keeps of one project's chat across window reloads (VS Code's workspaceState): the
// open session, drafts, the prompt queue and the last model/agent choice. Validated on restore: a
// copy from another version, or a damaged one, is dropped instead of breaking the panel.
import { z } from 'zod';
import type { QueueItem } from './promptQueue';

const ModelRef = z.object({ providerId: z.string(), modelId: z.string() }).strict();
const Mention = z.object({
  path: z.string().min(1).max(4096),
  range: z.object({ start: z.number().int().positive(), end: z.number().int().positive() }).strict().optional(),
}).strict();

const StoredQueueItem = z.object({
  id: z.string().min(1).max(200),
  sessionId: z.string().min(1).max(200),
  text: z.string(),
  mentions: z.array(Mention),
  model: ModelRef.optional(),
  agent: z.string().optional(),
  error: z.string().optional(),
  createdAt: z.number(),
  messageId: z.string().regex(/^msg_[A-Za-z0-9]{1,80}$/).optional(),
  idempotencyKey: z.string().min(8).max(128).optional(),
  retryable: z.boolean().optional(),
  attempts: z.number().int().nonnegative().optional(),
}).strict();

export const PersistedChat = z.object({
  v: z.literal(1),
  activeSessionId: z.string().nullable(),
  drafts: z.record(z.string(), z.string()),
  queue: z.array(StoredQueueItem),
  model: ModelRef.optional(),
  agent: z.string().optional(),
}).strict();
export type PersistedChat = z.infer<typeof PersistedChat>;

/** The part of vscode.Memento the chat uses. */
export interface ChatMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export function chatStateKey(projectId: string): string {
  return `hangar.chat.v1.${projectId}`;
}

export function loadChatState(memento: ChatMemento, projectId: string): PersistedChat | undefined {
  const r = PersistedChat.safeParse(memento.get(chatStateKey(projectId)));
  return r.success ? r.data : undefined;
}

export function emptyChatState(): PersistedChat {
  return { v: 1, activeSessionId: null, drafts: {}, queue: [] };
}

export function storedQueue(items: readonly QueueItem[]): PersistedChat['queue'] {
  return items.map((i) => ({ ...i }));
}
