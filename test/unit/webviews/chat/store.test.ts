import assert from 'node:assert/strict';
import { ChatHostToWebview } from '../../../../webviews/protocol/chat';
import { applyHostMessage, markPermissionSending, setDraft, startMentionQuery, unmarkPermission } from '../../../../webviews/chat/store/reduce';
import { answeredByCall, footerPermissions, isBusy, partsOf, pendingPermissionCount, queueOf, turnSummary } from '../../../../webviews/chat/store/selectors';
import { createChatState, type ChatState, type SessionState } from '../../../../webviews/chat/store/state';
import {
  assistantInfo, longTranscript, permission, SID, stepFinish, textPart, textTurn, toolPart, userInfo, type HostMsg,
} from './builders';

function apply(state: ChatState, ...messages: HostMsg[]): ChatState {
  for (const m of messages) {
    // Every message a test feeds is one the protocol accepts (pinned shapes).
    const parsed = ChatHostToWebview.safeParse(m);
    assert.ok(parsed.success, `invalid test message ${m.type}: ${parsed.success ? '' : parsed.error.message}`);
    applyHostMessage(state, m);
  }
  return state;
}
const session = (state: ChatState): SessionState => state.bySession.get(SID)!;
const textOf = (state: ChatState, partId: string): string => (session(state).parts.get(partId) as { text: string }).text;

describe('chat store', () => {
  describe('deltas', () => {
    it('appends each delta to its part and bumps only that message', () => {
      const state = apply(createChatState(),
        { type: 'chat.message', info: assistantInfo('msg_a', 1) },
        { type: 'chat.part', sessionId: SID, part: textPart('prt_1', 'msg_a', 'Hel') });
      const rev = session(state).messages.get('msg_a')!.rev;
      apply(state, { type: 'chat.delta', sessionId: SID, messageId: 'msg_a', partId: 'prt_1', field: 'text', delta: 'lo' });
      assert.equal(textOf(state, 'prt_1'), 'Hello');
      assert.equal(session(state).messages.get('msg_a')!.rev, rev + 1);
    });

    it('buffers deltas for an unknown part and applies them, in order, when the part arrives', () => {
      const state = apply(createChatState(),
        { type: 'chat.delta', sessionId: SID, messageId: 'msg_a', partId: 'prt_1', field: 'text', delta: 'a' },
        { type: 'chat.delta', sessionId: SID, messageId: 'msg_a', partId: 'prt_1', field: 'text', delta: 'b' });
      assert.equal(session(state).parts.size, 0);
      assert.equal(session(state).pendingDeltas.get('prt_1')?.length, 2);
      apply(state, { type: 'chat.part', sessionId: SID, part: textPart('prt_1', 'msg_a', '') });
      assert.equal(textOf(state, 'prt_1'), 'ab');
      assert.equal(session(state).pendingDeltas.size, 0);
    });

    it('does not apply buffered deltas twice when the full text overtook them', () => {
      const state = apply(createChatState(),
        { type: 'chat.delta', sessionId: SID, messageId: 'msg_a', partId: 'prt_1', field: 'text', delta: ' world' },
        { type: 'chat.part', sessionId: SID, part: textPart('prt_1', 'msg_a', 'Hello world') });
      assert.equal(textOf(state, 'prt_1'), 'Hello world');
    });

    it('creates a placeholder message for a part whose message has not arrived, replaced by the real one', () => {
      const state = apply(createChatState(), { type: 'chat.part', sessionId: SID, part: textPart('prt_1', 'msg_a', 'x') });
      assert.equal(session(state).messages.get('msg_a')!.placeholder, true);
      apply(state, { type: 'chat.message', info: assistantInfo('msg_a', 7) });
      const entry = session(state).messages.get('msg_a')!;
      assert.equal(entry.placeholder, false);
      assert.deepEqual(entry.partIds, ['prt_1']);
      assert.deepEqual(session(state).order, ['msg_a']);
    });

    it('keeps deltas of different sessions apart', () => {
      const state = apply(createChatState(),
        { type: 'chat.part', sessionId: SID, part: textPart('prt_1', 'msg_a', '') },
        { type: 'chat.delta', sessionId: 'ses_2', messageId: 'msg_a', partId: 'prt_1', field: 'text', delta: 'other' });
      assert.equal(textOf(state, 'prt_1'), '');
      assert.equal(state.bySession.get('ses_2')!.pendingDeltas.size, 1);
    });
  });

  describe('a full turn', () => {
    it('streams a text turn: busy, deltas, final text, tokens and cost, idle', () => {
      const turn = textTurn('msg_u1', 'msg_a1', ['Hel', 'lo, ', 'world', '!']);
      const state = createChatState();
      const busyAt = turn.findIndex((m) => m.type === 'chat.status');
      apply(state, ...turn.slice(0, busyAt + 1));
      assert.equal(isBusy(session(state)), true);
      apply(state, ...turn.slice(busyAt + 1, -1));
      assert.equal(textOf(state, 'prt_t_msg_a1'), 'Hello, world!');
      apply(state, turn.at(-1)!);
      const s = session(state);
      assert.equal(isBusy(s), false);
      assert.deepEqual(s.order, ['msg_u1', 'msg_a1']);
      const a = s.messages.get('msg_a1')!;
      assert.deepEqual(a.partIds, ['prt_ss_msg_a1', 'prt_t_msg_a1', 'prt_sf_msg_a1']);
      const sum = turnSummary(a.info, partsOf(s, a));
      assert.equal(sum.cost, 0.0042);
      assert.deepEqual(sum.tokens, { input: 120, output: 30, reasoning: 0, cache: { read: 0, write: 0 } });
      assert.equal(sum.duration, 899);
    });

    it('sums the steps of a multi-step turn', () => {
      const state = apply(createChatState(),
        { type: 'chat.message', info: assistantInfo('msg_a', 1) },
        { type: 'chat.part', sessionId: SID, part: stepFinish('prt_1', 'msg_a', 10, 5, 0.01) },
        { type: 'chat.part', sessionId: SID, part: stepFinish('prt_2', 'msg_a', 20, 7, 0.02) });
      const a = session(state).messages.get('msg_a')!;
      const sum = turnSummary(a.info, partsOf(session(state), a));
      assert.equal(sum.tokens!.input, 30);
      assert.equal(sum.tokens!.output, 12);
      assert.ok(Math.abs(sum.cost - 0.03) < 1e-12);
    });

    it('orders a message that arrives late by its creation time', () => {
      const state = apply(createChatState(),
        { type: 'chat.message', info: userInfo('msg_1', 10) },
        { type: 'chat.message', info: userInfo('msg_3', 30) },
        { type: 'chat.message', info: userInfo('msg_2', 20) });
      assert.deepEqual(session(state).order, ['msg_1', 'msg_2', 'msg_3']);
    });
  });

  describe('tool parts', () => {
    it('goes pending → running → completed in place, keeping its position', () => {
      const state = apply(createChatState(), { type: 'chat.message', info: assistantInfo('msg_a', 1) });
      const states = [
        { status: 'pending' as const, input: {} },
        { status: 'running' as const, input: { command: 'ls' }, title: 'ls', time: { start: 100 } },
        { status: 'completed' as const, input: { command: 'ls' }, title: 'ls', output: 'a\nb', time: { start: 100, end: 350 } },
      ];
      for (const st of states) apply(state, { type: 'chat.part', sessionId: SID, part: toolPart('prt_t', 'msg_a', st) });
      const s = session(state);
      assert.deepEqual(s.messages.get('msg_a')!.partIds, ['prt_t']);
      const part = s.parts.get('prt_t') as { state: { status: string; output?: string } };
      assert.equal(part.state.status, 'completed');
      assert.equal(part.state.output, 'a\nb');
    });

    it('keeps a tool error', () => {
      const state = apply(createChatState(),
        { type: 'chat.part', sessionId: SID, part: toolPart('prt_t', 'msg_a', { status: 'error', input: {}, error: 'boom', time: { start: 1, end: 2 } }) });
      assert.equal((session(state).parts.get('prt_t') as { state: { error: string } }).state.error, 'boom');
    });
  });

  describe('abort, retry and errors', () => {
    it('records an abort on the session and the message, and clears it when the next turn starts', () => {
      const state = apply(createChatState(),
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
        { type: 'chat.message', info: assistantInfo('msg_a', 1, { error: { name: 'MessageAbortedError', message: 'Aborted' } }) },
        { type: 'chat.error', sessionId: SID, error: { name: 'MessageAbortedError', message: 'Aborted' } },
        { type: 'chat.status', sessionId: SID, status: { type: 'idle' } });
      assert.equal(session(state).error?.name, 'MessageAbortedError');
      assert.equal(session(state).messages.get('msg_a')!.info.error?.name, 'MessageAbortedError');
      apply(state, { type: 'chat.status', sessionId: SID, status: { type: 'busy' } });
      assert.equal(session(state).error, null);
    });

    it('keeps a session error in the transcript with the turn it ended, after the next turn starts', () => {
      const error = { name: 'UnknownError', message: 'ProviderModelNotFoundError: Model not found: opencode/big-pickle' };
      const state = apply(createChatState(),
        { type: 'chat.message', info: userInfo('msg_u', 1) },
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
        { type: 'chat.error', sessionId: SID, error },
        { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } });
      assert.equal(session(state).error, null);
      assert.deepEqual(session(state).messages.get('msg_u')!.info.error, error);
    });

    it('shows retry with its attempt and next time, and stays busy', () => {
      const state = apply(createChatState(), { type: 'chat.status', sessionId: SID, status: { type: 'retry', attempt: 3, next: 99_000, message: 'Connection refused' } });
      assert.deepEqual(session(state).status, { type: 'retry', attempt: 3, next: 99_000, message: 'Connection refused' });
      assert.equal(isBusy(session(state)), true);
    });
  });

  describe('models', () => {
    it('takes the agent\'s new model list, the model the host chose, its notice and the redeploy note', () => {
      const state = apply(createChatState(), {
        type: 'chat.models', models: [{ providerId: 'fakellm', modelId: 'fake-model', name: 'Fake LLM · fake-model' }],
        model: { providerId: 'fakellm', modelId: 'fake-model' }, notice: 'opencode/big-pickle is not available on this agent any more: using Fake LLM · fake-model.',
      });
      assert.deepEqual(state.model, { providerId: 'fakellm', modelId: 'fake-model' });
      assert.equal(state.models.length, 1);
      assert.match(state.modelNotice!, /big-pickle is not available/);
      assert.equal(state.needsRedeploy, null);
      apply(state, { type: 'chat.models', models: [], needsRedeploy: 'This project needs a redeploy for its provider change: x.' });
      assert.equal(state.needsRedeploy, 'This project needs a redeploy for its provider change: x.');
    });
  });

  describe('permissions', () => {
    it('an answered card stays with its tool call in the transcript, also after the next turn starts', () => {
      const state = apply(createChatState(),
        { type: 'chat.message', info: assistantInfo('msg_a', 1) },
        { type: 'chat.part', sessionId: SID, part: toolPart('prt_t', 'msg_a', { status: 'running', input: {}, time: { start: 1 } }) },
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
        { type: 'chat.permission', request: permission('per_1', { tool: { messageId: 'msg_a', callId: 'call_1' } }) });
      assert.deepEqual(footerPermissions(session(state)).map((p) => p.request.id), ['per_1'], 'waiting: under the transcript');
      const rev = session(state).messages.get('msg_a')!.rev;
      apply(state, { type: 'chat.permissionReplied', sessionId: SID, requestId: 'per_1', reply: 'once' });
      assert.ok(session(state).messages.get('msg_a')!.rev > rev, 'the tool message re-renders with its card');
      assert.deepEqual(footerPermissions(session(state)), []);
      assert.equal(answeredByCall(session(state), 'msg_a').get('call_1')?.reply, 'once');
      apply(state,
        { type: 'chat.status', sessionId: SID, status: { type: 'idle' } },
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } });
      assert.equal(answeredByCall(session(state), 'msg_a').get('call_1')?.reply, 'once');
    });

    it('asks, shows the reply at once, confirms it, and clears answered cards at the next turn', () => {
      const state = apply(createChatState(),
        { type: 'chat.status', sessionId: SID, status: { type: 'busy' } },
        { type: 'chat.permission', request: permission('per_1') });
      assert.equal(pendingPermissionCount(session(state)), 1);
      markPermissionSending(state, SID, 'per_1', 'once');
      assert.equal(pendingPermissionCount(session(state)), 0);
      assert.equal(session(state).permissions.get('per_1')!.sending, true);
      apply(state, { type: 'chat.permissionReplied', sessionId: SID, requestId: 'per_1', reply: 'once' });
      assert.deepEqual({ ...session(state).permissions.get('per_1')!, request: undefined }, { request: undefined, reply: 'once', sending: false });
      apply(state, { type: 'chat.status', sessionId: SID, status: { type: 'idle' } }, { type: 'chat.status', sessionId: SID, status: { type: 'busy' } });
      assert.equal(session(state).permissions.size, 0);
    });

    it('asks again when the reply could not be sent', () => {
      const state = apply(createChatState(), { type: 'chat.permission', request: permission('per_1') });
      markPermissionSending(state, SID, 'per_1', 'reject');
      unmarkPermission(state, SID, 'per_1');
      assert.equal(pendingPermissionCount(session(state)), 1);
    });
  });

  describe('transcript pages', () => {
    it('replaces everything on a resync page and merges older pages in front', () => {
      const all = longTranscript(10);
      const state = apply(createChatState(),
        { type: 'chat.delta', sessionId: SID, messageId: 'x', partId: 'stale', field: 'text', delta: 'x' },
        { type: 'chat.transcript', sessionId: SID, messages: all.slice(5), replace: true, hasOlder: true });
      assert.equal(session(state).pendingDeltas.size, 0);
      assert.equal(session(state).order.length, 5);
      apply(state, { type: 'chat.transcript', sessionId: SID, messages: all.slice(0, 5), replace: false, hasOlder: false });
      assert.deepEqual(session(state).order, all.map((m) => m.info.id));
      assert.equal(session(state).hasOlder, false);
    });

    it('applies a 5,000-message session', () => {
      const messages = longTranscript(5_000);
      const state = createChatState();
      const t0 = performance.now();
      applyHostMessage(state, { type: 'chat.transcript', sessionId: SID, messages, replace: true, hasOlder: false });
      const applied = performance.now() - t0;
      const t1 = performance.now();
      const parsed = ChatHostToWebview.safeParse({ type: 'chat.transcript', sessionId: SID, messages, replace: true, hasOlder: false });
      const validated = performance.now() - t1;
      assert.ok(parsed.success);
      assert.equal(session(state).order.length, 5_000);
      const t2 = performance.now();
      for (let i = 0; i < 1_000; i++) applyHostMessage(state, { type: 'chat.delta', sessionId: SID, messageId: 'msg_004999', partId: 'prt_msg_004999', field: 'text', delta: 'x' });
      const deltas = performance.now() - t2;
      console.log(`      5,000 messages: applied in ${applied.toFixed(1)} ms, validated in ${validated.toFixed(1)} ms; 1,000 deltas after them in ${deltas.toFixed(1)} ms`);
    });
  });

  describe('sessions, queue, drafts, mentions, connection', () => {
    it('drops the state of deleted sessions', () => {
      const state = apply(createChatState(), { type: 'chat.message', info: userInfo('msg_1', 1) });
      apply(state, { type: 'chat.sessions', sessions: [], activeSessionId: null });
      assert.equal(state.bySession.size, 0);
    });

    it('keeps drafts per session and an empty draft removes the key', () => {
      const state = createChatState();
      setDraft(state, SID, 'hello');
      setDraft(state, null, 'new one');
      assert.deepEqual(state.drafts, { [SID]: 'hello', '': 'new one' });
      setDraft(state, SID, '');
      assert.deepEqual(state.drafts, { '': 'new one' });
    });

    it('keeps the webview draft over the host copy at init, and takes the host copy when it has none', () => {
      const init = (draft: string): HostMsg => ({ type: 'chat.init', project: { id: 'p1', name: 'alpha', status: 'running' }, sessions: [], activeSessionId: SID, models: [], agents: [], draft });
      const state = createChatState();
      apply(state, init('from host'));
      assert.equal(state.drafts[SID], 'from host');
      setDraft(state, SID, 'typed since');
      apply(state, init('older host copy'));
      assert.equal(state.drafts[SID], 'typed since');
    });

    it('shows the queue of the active session only', () => {
      const state = apply(createChatState(), { type: 'chat.queue', items: [
        { id: 'q1', sessionId: SID, text: 'first', mentions: [] },
        { id: 'q2', sessionId: 'ses_2', text: 'other', mentions: [] },
        { id: 'q3', sessionId: SID, text: 'second', mentions: [{ path: 'src/app.ts', range: { start: 10, end: 24 } }], error: 'offline' },
      ] });
      assert.deepEqual(queueOf(state, SID).map((q) => q.id), ['q1', 'q3']);
    });

    it('ignores mention results older than the latest query', () => {
      const state = createChatState();
      startMentionQuery(state, 2);
      apply(state, { type: 'chat.mentionResults', seq: 1, items: [{ path: 'old.ts', source: 'workspace' }] });
      assert.deepEqual(state.mentions.items, []);
      apply(state, { type: 'chat.mentionResults', seq: 2, items: [{ path: 'new.ts', source: 'both' }] });
      assert.deepEqual(state.mentions.items, [{ path: 'new.ts', source: 'both' }]);
    });

    it('tracks the connection', () => {
      const state = apply(createChatState(), { type: 'chat.connection', state: 'reconnecting' });
      assert.equal(state.connection, 'reconnecting');
    });
  });
});
