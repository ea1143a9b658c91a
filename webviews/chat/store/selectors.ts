// Read-only views of the store for the components. Cheap: nothing walks the whole transcript
// except `turnSummary`, which walks one message's parts.
import type { ChatMessageInfo, ChatPart, ChatStepFinishPart, ChatTokens, QueuedPrompt } from '../../protocol/chat';
import type { ChatState, MessageEntry, PermissionEntry, SessionState } from './state';

export function activeSession(state: ChatState): SessionState | undefined {
  return state.activeSessionId ? state.bySession.get(state.activeSessionId) : undefined;
}

export function partsOf(s: SessionState, entry: MessageEntry): ChatPart[] {
  const out: ChatPart[] = [];
  for (const id of entry.partIds) {
    const p = s.parts.get(id);
    if (p) out.push(p);
  }
  return out;
}

export function isBusy(s: SessionState | undefined): boolean {
  return !!s && s.status.type !== 'idle';
}

/** Requests still waiting for an answer, and those answered during the current turn. */
export function permissionsOf(s: SessionState | undefined): PermissionEntry[] {
  return s ? [...s.permissions.values()] : [];
}

/** An answered card stays with its tool call in the transcript (when that message is loaded). */
function placedWithTool(s: SessionState, p: PermissionEntry): boolean {
  return !!p.reply && !!p.request.tool && s.messages.has(p.request.tool.messageId);
}

/** The cards under the transcript: the ones waiting for an answer, and answered ones with no tool call shown. */
export function footerPermissions(s: SessionState | undefined): PermissionEntry[] {
  return s ? [...s.permissions.values()].filter((p) => !placedWithTool(s, p)) : [];
}

/** Answered cards of one message, by the tool call they belong to. */
export function answeredByCall(s: SessionState, messageId: string): Map<string, PermissionEntry> {
  const out = new Map<string, PermissionEntry>();
  for (const p of s.permissions.values()) if (p.reply && p.request.tool?.messageId === messageId) out.set(p.request.tool.callId, p);
  return out;
}

export function pendingPermissionCount(s: SessionState | undefined): number {
  let n = 0;
  if (s) for (const p of s.permissions.values()) if (!p.reply) n++;
  return n;
}

/** The host's key for prompts that start a new session (extension/chat/promptQueue.ts NEW_SESSION). */
export const NEW_SESSION = 'new';

/** The prompts waiting for this session (with no session open: those that will start one). */
export function queueOf(state: ChatState, sessionId: string | null): QueuedPrompt[] {
  const key = sessionId ?? NEW_SESSION;
  return state.queue.filter((q) => q.sessionId === key);
}

export interface TurnSummary {
  tokens: ChatTokens | null;
  cost: number;
  /** ms from the message's creation to its completion */
  duration: number | null;
}

/** Tokens and cost of one assistant message: the sum of its step-finish parts, else the message's own. */
export function turnSummary(info: ChatMessageInfo, parts: ChatPart[]): TurnSummary {
  let tokens: ChatTokens | null = null;
  let cost = 0;
  let steps = 0;
  for (const p of parts) {
    if (p.type !== 'step-finish') continue;
    const f = p as ChatStepFinishPart;
    steps++;
    cost += f.cost;
    tokens = tokens
      ? {
          input: tokens.input + f.tokens.input, output: tokens.output + f.tokens.output,
          reasoning: tokens.reasoning + f.tokens.reasoning,
          cache: { read: tokens.cache.read + f.tokens.cache.read, write: tokens.cache.write + f.tokens.cache.write },
        }
      : { ...f.tokens, cache: { ...f.tokens.cache } };
  }
  if (!steps) {
    tokens = info.tokens ?? null;
    cost = info.cost ?? 0;
  }
  const duration = info.time.completed !== undefined ? info.time.completed - info.time.created : null;
  return { tokens, cost, duration };
}
