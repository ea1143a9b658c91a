// The store's queue, start and changes state, and a resync that replaces what the live stream built.
import assert from 'node:assert/strict';
import { ChatHostToWebview } from '../../../../webviews/protocol/chat';
import { applyHostMessage, markChangesLoading } from '../../../../webviews/chat/store/reduce';
import { NEW_SESSION, queueOf } from '../../../../webviews/chat/store/selectors';
import { createChatState, type ChatState } from '../../../../webviews/chat/store/state';
import { assistantInfo, SID, textPart, textTurn, userInfo, type HostMsg } from './builders';

function apply(state: ChatState, ...messages: HostMsg[]): ChatState {
  for (const m of messages) {
    const parsed = ChatHostToWebview.safeParse(m);
    assert.ok(parsed.success, `invalid test message ${m.type}: ${parsed.success ? '' : parsed.error.message}`);
    applyHostMessage(state, m);
  }
  return state;
}

describe('chat store: queue, start, changes, resync', () => {
  it('shows each session its own queued prompts, and with no session the ones that will start one', () => {
    const state = apply(createChatState(), { type: 'chat.queue', items: [
      { id: 'q1', sessionId: SID, text: 'a', mentions: [] },
      { id: 'q2', sessionId: 'ses_other', text: 'b', mentions: [] },
      { id: 'q3', sessionId: NEW_SESSION, text: 'c', mentions: [], error: 'Start cancelled.' },
    ] });
    assert.deepEqual(queueOf(state, SID).map((q) => q.id), ['q1']);
    assert.deepEqual(queueOf(state, null).map((q) => [q.id, q.error]), [['q3', 'Start cancelled.']]);
    apply(state, { type: 'chat.queue', items: [] });
    assert.deepEqual(queueOf(state, SID), []);
  });

  it('tracks the start of a stopped project and its failure', () => {
    const state = apply(createChatState(), { type: 'chat.starting', starting: { phase: 'starting', message: 'Starting demo…' } });
    assert.deepEqual(state.starting, { phase: 'starting', message: 'Starting demo…' });
    apply(state, { type: 'chat.starting', starting: { phase: 'failed', message: 'Could not start demo: it crashed.' } });
    assert.equal(state.starting?.phase, 'failed');
    apply(state, { type: 'chat.starting', starting: null });
    assert.equal(state.starting, null);
  });

  it('counts finished turns (the Changes list reads again after each), even when busy and idle arrive in one frame', () => {
    const state = apply(createChatState(), { type: 'chat.status', sessionId: SID, status: { type: 'idle' } });
    assert.equal(state.bySession.get(SID)!.turnsEnded, 0, 'idle at the start is not a turn');
    apply(state, { type: 'chat.status', sessionId: SID, status: { type: 'busy' } }, { type: 'chat.status', sessionId: SID, status: { type: 'idle' } });
    apply(state, { type: 'chat.status', sessionId: SID, status: { type: 'idle' } });
    assert.equal(state.bySession.get(SID)!.turnsEnded, 1);
  });

  it('keeps the changes per session, loading until the answer arrives', () => {
    const state = createChatState();
    markChangesLoading(state, SID);
    assert.deepEqual(state.changes.get(SID), { files: [], source: 'session', error: null, loading: true });
    apply(state, { type: 'chat.changes', sessionId: SID, source: 'workspace', files: [{ file: 'a.ts', status: 'modified', additions: 2, deletions: 1 }] });
    assert.deepEqual(state.changes.get(SID), { files: [{ file: 'a.ts', status: 'modified', additions: 2, deletions: 1 }], source: 'workspace', error: null, loading: false });
    markChangesLoading(state, SID);
    assert.equal(state.changes.get(SID)?.files.length, 1, 'the old list stays while reading again');
    apply(state, { type: 'chat.changes', sessionId: SID, source: 'session', files: [], error: 'Could not read the changes: agent_unreachable' });
    assert.equal(state.changes.get(SID)?.error, 'Could not read the changes: agent_unreachable');
  });

  it('a resync transcript replaces what the stream built before a gap (lost deltas, a half part)', () => {
    const state = apply(createChatState(), ...textTurn('msg_u', 'msg_a', ['Hel', 'lo'], 1).slice(0, 7));
    // The stream dropped after "Hel": the agent's copy (the REST transcript) has the whole answer.
    apply(state, { type: 'chat.transcript', sessionId: SID, replace: true, hasOlder: false, messages: [
      { info: userInfo('msg_u', 1), parts: [textPart('prt_u', 'msg_u', 'Say hello')] },
      { info: assistantInfo('msg_a', 2, { time: { created: 2, completed: 3 } }), parts: [textPart('prt_t_msg_a', 'msg_a', 'Hello, world')] },
    ] });
    const s = state.bySession.get(SID)!;
    assert.deepEqual(s.order, ['msg_u', 'msg_a']);
    assert.deepEqual(s.messages.get('msg_a')!.partIds, ['prt_t_msg_a']);
    assert.equal((s.parts.get('prt_t_msg_a') as { text: string }).text, 'Hello, world');
    assert.equal(s.pendingDeltas.size, 0);
    // A late delta of the old stream for that part appends (the host resyncs again on the next gap).
    apply(state, { type: 'chat.delta', sessionId: SID, messageId: 'msg_a', partId: 'prt_t_msg_a', field: 'text', delta: '!' });
    assert.equal((s.parts.get('prt_t_msg_a') as { text: string }).text, 'Hello, world!');
  });
});
