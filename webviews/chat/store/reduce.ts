// Applies host messages (and the webview's own actions) to the store. In place, O(1) per delta:
// see state.ts for why. Every function returns nothing; callers read `rev` numbers to re-render.
import type { ChatHostToWebview, ChatMessage, ChatMessageInfo, ChatPart, PermissionReply } from '../../protocol/chat';
import { draftKey, sessionOf, type ChatState, type MessageEntry, type PendingDelta, type SessionState } from './state';

type HostMessage = Exclude<ChatHostToWebview, { type: 'response' }>;

export function applyHostMessage(state: ChatState, m: HostMessage): void {
  state.rev++;
  switch (m.type) {
    case 'chat.init':
      state.project = m.project;
      state.sessions = m.sessions;
      state.activeSessionId = m.activeSessionId;
      state.models = m.models;
      state.agents = m.agents;
      if (m.commands) state.commands = m.commands;
      state.model = m.model ?? state.model ?? (m.models[0] ? { providerId: m.models[0].providerId, modelId: m.models[0].modelId } : null);
      state.agent = m.agent ?? state.agent ?? m.agents[0]?.name ?? null;
      // A draft the webview kept (it is newer: it is debounced to the host) wins over the host's.
      if (m.draft !== undefined && !state.drafts[draftKey(m.activeSessionId)]) state.drafts[draftKey(m.activeSessionId)] = m.draft;
      return;
    case 'chat.project':
      state.project = m.project;
      return;
    case 'chat.models':
      state.models = m.models;
      state.model = m.model ?? (m.models[0] ? { providerId: m.models[0].providerId, modelId: m.models[0].modelId } : null);
      if (m.notice) state.modelNotice = m.notice;
      state.needsRedeploy = m.needsRedeploy ?? null;
      if (m.agents) state.agents = m.agents;
      if (m.commands) state.commands = m.commands;
      return;
    case 'chat.sessions':
      state.sessions = m.sessions;
      state.activeSessionId = m.activeSessionId;
      for (const id of [...state.bySession.keys()]) if (!m.sessions.some((s) => s.id === id)) state.bySession.delete(id);
      return;
    case 'chat.transcript':
      applyTranscript(sessionOf(state, m.sessionId), m.messages, m.replace, m.hasOlder);
      return;
    case 'chat.message':
      upsertMessage(sessionOf(state, m.info.sessionId), m.info);
      return;
    case 'chat.part':
      upsertPart(sessionOf(state, m.sessionId), m.part);
      return;
    case 'chat.delta':
      applyDelta(sessionOf(state, m.sessionId), m.messageId, m.partId, m.delta);
      return;
    case 'chat.status': {
      const s = sessionOf(state, m.sessionId);
      const wasIdle = s.status.type === 'idle';
      s.status = m.status;
      if (!wasIdle && m.status.type === 'idle') s.turnsEnded++;
      if (wasIdle && m.status.type !== 'idle') {
        s.error = null; // a new turn
        // Answered cards go, except those shown with their tool call in the transcript.
        for (const [id, p] of s.permissions) if (p.reply && !(p.request.tool && s.messages.has(p.request.tool.messageId))) s.permissions.delete(id);
      }
      s.rev++;
      return;
    }
    case 'chat.permission': {
      const s = sessionOf(state, m.request.sessionId);
      s.permissions.set(m.request.id, { request: m.request, reply: null, sending: false });
      s.rev++;
      return;
    }
    case 'chat.permissionReplied': {
      const s = sessionOf(state, m.sessionId);
      const p = s.permissions.get(m.requestId);
      if (p) {
        p.reply = m.reply;
        p.sending = false;
        bumpToolMessage(s, p.request.tool?.messageId);
        s.rev++;
      }
      return;
    }
    case 'chat.error': {
      const s = sessionOf(state, m.sessionId);
      s.error = m.error;
      // Kept in the transcript with the turn it ended (the session's error is cleared by the next turn).
      const lastId = s.order[s.order.length - 1];
      const last = lastId ? s.messages.get(lastId) : undefined;
      if (last && !last.info.error) {
        last.info = { ...last.info, error: m.error };
        last.rev++;
      }
      s.rev++;
      return;
    }
    case 'chat.connection':
      state.connection = m.state;
      return;
    case 'chat.offlineCopy':
      state.offlineCopy = m.copy ? m.copy.age : null;
      return;
    case 'chat.queue':
      state.queue = m.items;
      return;
    case 'chat.starting':
      state.starting = m.starting;
      return;
    case 'chat.changes':
      state.changes.set(m.sessionId, { files: m.files, source: m.source, error: m.error ?? null, loading: false });
      return;
    case 'chat.mentionResults':
      // Only the answer to the latest query: an older, slower answer must not replace a newer one.
      if (m.seq >= state.mentions.seq) state.mentions = { seq: m.seq, items: m.items };
      return;
  }
}

/** The webview sent a reply; the card shows it at once, `chat.permissionReplied` confirms. */
export function markPermissionSending(state: ChatState, sessionId: string, permissionId: string, reply: PermissionReply): void {
  const s = state.bySession.get(sessionId);
  const p = s?.permissions.get(permissionId);
  if (!s || !p) return;
  p.reply = reply;
  p.sending = true;
  bumpToolMessage(s, p.request.tool?.messageId);
  s.rev++;
  state.rev++;
}

/** The message that shows an answered card with its tool call re-renders. */
function bumpToolMessage(s: SessionState, messageId: string | undefined): void {
  const entry = messageId ? s.messages.get(messageId) : undefined;
  if (entry) entry.rev++;
}

/** The reply could not be sent: the card asks again. */
export function unmarkPermission(state: ChatState, sessionId: string, permissionId: string): void {
  const s = state.bySession.get(sessionId);
  const p = s?.permissions.get(permissionId);
  if (!s || !p || !p.sending) return;
  p.reply = null;
  p.sending = false;
  s.rev++;
  state.rev++;
}

export function setDraft(state: ChatState, sessionId: string | null, text: string): void {
  const key = draftKey(sessionId);
  if (text) state.drafts[key] = text;
  else delete state.drafts[key];
  state.rev++;
}

/** The webview asked for the session's changes: the list shows it is reading. */
export function markChangesLoading(state: ChatState, sessionId: string): void {
  const c = state.changes.get(sessionId);
  state.changes.set(sessionId, c ? { ...c, loading: true } : { files: [], source: 'session', error: null, loading: true });
  state.rev++;
}

/** A new query went out: answers to older ones are ignored from now on. */
export function startMentionQuery(state: ChatState, seq: number): void {
  state.mentions = { seq, items: state.mentions.items };
  state.rev++;
}

// ── Transcript ───────────────────────────────────────────────────────────────────────────────────

function applyTranscript(s: SessionState, messages: ChatMessage[], replace: boolean, hasOlder: boolean): void {
  if (replace) {
    // A first page or a resync: the host's copy is the agent's own, so it replaces everything.
    s.messages.clear();
    s.parts.clear();
    s.order = [];
    s.pendingDeltas.clear();
  }
  s.hasOlder = hasOlder;
  s.loaded = true;
  const older: string[] = [];
  for (const { info, parts } of messages) {
    const existing = s.messages.get(info.id);
    const entry: MessageEntry = existing ?? { info, partIds: [], rev: 0, placeholder: false };
    entry.info = info;
    entry.placeholder = false;
    entry.partIds = [];
    entry.rev++;
    for (const p of parts) {
      s.parts.set(p.id, p);
      entry.partIds.push(p.id);
    }
    if (!existing) {
      s.messages.set(info.id, entry);
      older.push(info.id);
    }
  }
  if (replace) s.order = older;
  else if (older.length) {
    // An older page (or messages the live stream had not delivered): merge by time.
    s.order = [...older, ...s.order];
    sortOrder(s);
  }
  s.rev++;
}

function compareMessages(a: ChatMessageInfo, b: ChatMessageInfo): number {
  return a.time.created - b.time.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function sortOrder(s: SessionState): void {
  s.order.sort((x, y) => compareMessages(s.messages.get(x)!.info, s.messages.get(y)!.info));
}

/** Inserts a new message id in order; nearly always at the end, so that case is O(1). */
function insertInOrder(s: SessionState, info: ChatMessageInfo): void {
  const lastId = s.order[s.order.length - 1];
  const last = lastId ? s.messages.get(lastId) : undefined;
  if (!last || compareMessages(last.info, info) <= 0) {
    s.order.push(info.id);
    return;
  }
  let lo = 0;
  let hi = s.order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareMessages(s.messages.get(s.order[mid]!)!.info, info) <= 0) lo = mid + 1;
    else hi = mid;
  }
  s.order.splice(lo, 0, info.id);
}

function upsertMessage(s: SessionState, info: ChatMessageInfo): void {
  const existing = s.messages.get(info.id);
  if (existing) {
    const moved = existing.placeholder && existing.info.time.created !== info.time.created;
    existing.info = info;
    existing.placeholder = false;
    existing.rev++;
    if (moved) sortOrder(s);
  } else {
    s.messages.set(info.id, { info, partIds: [], rev: 0, placeholder: false });
    insertInOrder(s, info);
  }
  s.rev++;
}

function ensureMessage(s: SessionState, messageId: string): MessageEntry {
  let entry = s.messages.get(messageId);
  if (!entry) {
    // A part before its message (events can interleave after a reconnect): an assistant placeholder.
    const info: ChatMessageInfo = { id: messageId, sessionId: s.id, role: 'assistant', time: { created: Date.now() } };
    entry = { info, partIds: [], rev: 0, placeholder: true };
    s.messages.set(messageId, entry);
    insertInOrder(s, info);
    s.rev++;
  }
  return entry;
}

function upsertPart(s: SessionState, part: ChatPart): void {
  const entry = ensureMessage(s, part.messageId);
  const known = s.parts.has(part.id);
  let next = part;
  const pending = s.pendingDeltas.get(part.id);
  if (pending) {
    s.pendingDeltas.delete(part.id);
    next = withBufferedDeltas(part, pending);
  }
  s.parts.set(part.id, next);
  if (!known) entry.partIds.push(part.id);
  entry.rev++;
}

/**
 * Deltas that arrived before their part. A part that already contains them (a full-text update
 * overtook them) is kept as it is, so nothing is applied twice.
 */
function withBufferedDeltas(part: ChatPart, pending: PendingDelta[]): ChatPart {
  if (!hasText(part)) return part;
  const buffered = pending.map((d) => d.delta).join('');
  if (part.text.endsWith(buffered)) return part;
  return { ...part, text: part.text + buffered };
}

function hasText(part: ChatPart): part is ChatPart & { text: string } {
  return (part.type === 'text' || part.type === 'reasoning') && typeof (part as { text?: unknown }).text === 'string';
}

function applyDelta(s: SessionState, messageId: string, partId: string, delta: string): void {
  const part = s.parts.get(partId);
  if (!part || !hasText(part)) {
    // Unknown (or not yet a text) part: keep the delta until the part arrives.
    const list = s.pendingDeltas.get(partId);
    if (list) list.push({ messageId, delta });
    else s.pendingDeltas.set(partId, [{ messageId, delta }]);
    return;
  }
  part.text += delta; // in place: parts are owned by the store
  const entry = s.messages.get(part.messageId);
  if (entry) entry.rev++;
}
