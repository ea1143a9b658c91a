import assert from 'node:assert/strict';
import { ChatHostToWebview, ChatPersistedState, ChatWebviewToHost } from '../../../../webviews/protocol/chat';
import { textPart, toolPart, userInfo } from './builders';

describe('chat protocol', () => {
  it('accepts every webview → host message as written', () => {
    const messages = [
      { type: 'ready' },
      { type: 'chat.send', requestId: 'r1', sessionId: 'ses_1', text: 'hi @a.ts', mentions: [{ path: 'a.ts', range: { start: 1, end: 3 } }], model: { providerId: 'p', modelId: 'm' }, agent: 'build' },
      { type: 'chat.send', requestId: 'r2', sessionId: null, text: 'first prompt', mentions: [] },
      { type: 'chat.abort', requestId: 'r3', sessionId: 'ses_1' },
      { type: 'chat.permissionReply', requestId: 'r4', sessionId: 'ses_1', permissionId: 'per_1', reply: 'always' },
      { type: 'chat.newSession', requestId: 'r5' },
      { type: 'chat.switchSession', requestId: 'r6', sessionId: 'ses_2' },
      { type: 'chat.renameSession', requestId: 'r7', sessionId: 'ses_2', title: 'New name' },
      { type: 'chat.deleteSession', requestId: 'r8', sessionId: 'ses_2' },
      { type: 'chat.loadOlder', sessionId: 'ses_1', before: 'msg_1' },
      { type: 'chat.queue.edit', id: 'q1', text: 'edited' },
      { type: 'chat.queue.cancel', id: 'q1' },
      { type: 'chat.queue.retry', id: 'q1' },
      { type: 'chat.draft', sessionId: null, text: 'draft' },
      { type: 'chat.openLink', url: 'https://example.com' },
      { type: 'chat.copy', text: 'code' },
      { type: 'chat.mentionQuery', seq: 3, query: 'app' },
    ];
    for (const m of messages) assert.deepEqual(ChatWebviewToHost.parse(m), m, m.type);
  });

  it('refuses bad replies, empty titles, extra fields and requests without an id', () => {
    for (const m of [
      { type: 'chat.permissionReply', requestId: 'r', sessionId: 's', permissionId: 'p', reply: 'yes' },
      { type: 'chat.renameSession', requestId: 'r', sessionId: 's', title: '' },
      { type: 'chat.abort', sessionId: 's' },
      { type: 'chat.copy', text: 'x', extra: 1 },
      { type: 'chat.send', requestId: 'r', sessionId: 's', text: 'x', mentions: [{ path: 'a', range: { start: 0, end: 1 } }] },
    ]) assert.equal(ChatWebviewToHost.safeParse(m).success, false, JSON.stringify(m));
  });

  it('accepts host messages with parts it does not know yet (kept, not dropped)', () => {
    const messages = [
      { type: 'chat.transcript', sessionId: 'ses_1', replace: true, hasOlder: false, messages: [{ info: userInfo('msg_1', 1), parts: [textPart('prt_1', 'msg_1', 'hi'), { id: 'prt_2', messageId: 'msg_1', type: 'snapshot', snapshot: 'abc' }] }] },
      { type: 'chat.part', sessionId: 'ses_1', part: toolPart('prt_3', 'msg_1', { status: 'running', input: { command: 'ls' }, time: { start: 1 } }) },
      { type: 'chat.delta', sessionId: 'ses_1', messageId: 'msg_1', partId: 'prt_1', field: 'text', delta: '!' },
      { type: 'chat.status', sessionId: 'ses_1', status: { type: 'retry', attempt: 1, next: 5, message: 'down' } },
      { type: 'chat.connection', state: 'offline' },
      { type: 'chat.mentionResults', seq: 1, items: [{ path: 'a.ts', source: 'both', kind: 'file' }] },
    ];
    for (const m of messages) assert.deepEqual(ChatHostToWebview.parse(m), m, m.type);
    assert.equal(ChatHostToWebview.safeParse({ type: 'chat.delta', sessionId: 's', messageId: 'm', partId: 'p', field: 'input', delta: 'x' }).success, false);
    assert.equal(ChatHostToWebview.safeParse({ type: 'chat.part', sessionId: 's', part: toolPart('p', 'm', { status: 'exploded' as 'running', input: {} }) }).success, false);
  });

  it('persists only version 1 state with scroll positions and drafts', () => {
    const ok = { v: 1, activeSessionId: 'ses_1', scroll: { ses_1: { atBottom: false, messageId: 'msg_9', offset: 12 }, ses_2: { atBottom: true } }, drafts: { ses_1: 'half a thought', '': 'new' } };
    assert.deepEqual(ChatPersistedState.parse(ok), ok);
    assert.equal(ChatPersistedState.safeParse({ ...ok, v: 2 }).success, false);
  });
});
