// Small builders for chat messages as the host posts them (already validated shapes).
import type {
  ChatHostToWebview, ChatMessage, ChatMessageInfo, ChatPart, ChatPermission, ChatToolState,
} from '../../../../webviews/protocol/chat';

export type HostMsg = Exclude<ChatHostToWebview, { type: 'response' }>;
export const SID = 'ses_1';

export function userInfo(id: string, created: number, over: Partial<ChatMessageInfo> = {}): ChatMessageInfo {
  return { id, sessionId: SID, role: 'user', time: { created }, ...over };
}
export function assistantInfo(id: string, created: number, over: Partial<ChatMessageInfo> = {}): ChatMessageInfo {
  return { id, sessionId: SID, role: 'assistant', time: { created }, providerId: 'fake', modelId: 'fake-model', ...over };
}
export function textPart(id: string, messageId: string, text: string): ChatPart {
  return { id, messageId, type: 'text', text };
}
export function toolPart(id: string, messageId: string, state: ChatToolState, tool = 'bash'): ChatPart {
  return { id, messageId, type: 'tool', tool, callId: `call_${id}`, state };
}
export function stepFinish(id: string, messageId: string, input: number, output: number, cost: number): ChatPart {
  return { id, messageId, type: 'step-finish', reason: 'stop', cost, tokens: { input, output, reasoning: 0, cache: { read: 0, write: 0 } } };
}
export function permission(id: string, over: Partial<ChatPermission> = {}): ChatPermission {
  return { id, sessionId: SID, permission: 'bash', patterns: ['rm -rf build'], metadata: { command: 'rm -rf build' }, always: ['rm *'], ...over };
}

/** A session of n messages alternating user / assistant, each with one text part. */
export function longTranscript(n: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < n; i++) {
    const id = `msg_${String(i).padStart(6, '0')}`;
    const info = i % 2 === 0 ? userInfo(id, 1_000 + i) : assistantInfo(id, 1_000 + i, { time: { created: 1_000 + i, completed: 1_000 + i } });
    out.push({ info, parts: [textPart(`prt_${id}`, id, i % 2 === 0 ? `Question ${i}?` : `Answer ${i}, with **bold** and \`code\`.\n\n- one\n- two`)] });
  }
  return out;
}

/** The event sequence of one text turn (opencode.md), as the host relays it. */
export function textTurn(userId: string, asstId: string, chunks: string[], t0 = 5_000): HostMsg[] {
  const text = chunks.join('');
  return [
    { type: 'chat.message', info: userInfo(userId, t0) },
    { type: 'chat.part', sessionId: SID, part: textPart(`prt_u_${userId}`, userId, 'Say hello') },
    { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
    { type: 'chat.message', info: assistantInfo(asstId, t0 + 1) },
    { type: 'chat.part', sessionId: SID, part: { id: `prt_ss_${asstId}`, messageId: asstId, type: 'step-start' } },
    { type: 'chat.part', sessionId: SID, part: textPart(`prt_t_${asstId}`, asstId, '') },
    ...chunks.map((delta): HostMsg => ({ type: 'chat.delta', sessionId: SID, messageId: asstId, partId: `prt_t_${asstId}`, field: 'text', delta })),
    { type: 'chat.part', sessionId: SID, part: textPart(`prt_t_${asstId}`, asstId, text) },
    { type: 'chat.part', sessionId: SID, part: stepFinish(`prt_sf_${asstId}`, asstId, 120, 30, 0.0042) },
    { type: 'chat.message', info: assistantInfo(asstId, t0 + 1, { time: { created: t0 + 1, completed: t0 + 900 }, finish: 'stop', cost: 0.0042 }) },
    { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
  ];
}
