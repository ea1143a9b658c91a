import assert from 'node:assert/strict';
import { reduce, sessionIdOf, type HookEvent, type SessionState } from '../../../../backend/activity/reducer';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const e = (type: string, properties: Record<string, unknown>, meta: HookEvent['meta'] = {}): HookEvent => ({ type, properties, meta });
const status = (type: string) => e('session.status', { sessionID: 's1', status: { type } });

/** Runs events through the reducer, one second apart; returns the final state and the notifications. */
function run(events: HookEvent[], start?: SessionState) {
  let state = start;
  const notes: string[] = [];
  const changes: boolean[] = [];
  events.forEach((ev, i) => {
    const r = reduce(state, ev, at(i));
    state = r.next;
    changes.push(r.changed);
    if (r.notify) notes.push(`${r.notify.kind}: ${r.notify.detail}`);
  });
  return { state: state!, notes, changes };
}

describe('activity reducer', () => {
  it('finds the session of each event kind', () => {
    assert.equal(sessionIdOf({ type: 'session.updated', properties: { info: { id: 'a' } } }), 'a');
    assert.equal(sessionIdOf({ type: 'session.status', properties: { sessionID: 'b' } }), 'b');
    assert.equal(sessionIdOf({ type: 'session.error', properties: {} }), undefined);
  });

  it('goes running → complete once, counting busy time; session.idle after status idle changes nothing', () => {
    const { state, notes, changes } = run([status('busy'), status('idle'), e('session.idle', { sessionID: 's1' })]);
    assert.equal(state.status, 'complete');
    assert.equal(state.busyMs, 1000);
    assert.equal(state.runningSince, null);
    assert.deepEqual(notes, ['done: finished']);
    assert.deepEqual(changes, [true, true, false]);
  });

  it('waits for permission until every pending request is answered', () => {
    const ask = (id: string) => e('permission.asked', { id, sessionID: 's1', permission: 'edit', patterns: ['a.ts'] });
    const reply = (id: string) => e('permission.replied', { sessionID: 's1', requestID: id, reply: 'once' });
    const r = run([status('busy'), ask('p1'), ask('p2'), reply('p1')]);
    assert.equal(r.state.status, 'waiting_for_permission');
    assert.deepEqual(r.notes, ['needs-approval: needs approval: edit a.ts'], 'one notification while waiting');
    const r2 = run([reply('p2')], r.state);
    assert.equal(r2.state.status, 'running');
  });

  it('records an error once and keeps it through the idle that follows', () => {
    const err = e('session.error', { sessionID: 's1', error: { name: 'APIError', data: { message: 'quota exceeded' } } });
    const r = run([status('busy'), err, status('idle'), e('session.idle', { sessionID: 's1' })]);
    assert.deepEqual([r.state.status, r.state.error], ['error', 'quota exceeded']);
    assert.deepEqual(r.notes, ['failed: failed: quota exceeded']);
  });

  it('treats an abort as a stop, not a failure', () => {
    const abort = e('session.error', { sessionID: 's1', error: { name: 'MessageAbortedError', data: { message: 'Aborted' } } });
    const r = run([status('busy'), abort, status('idle')]);
    assert.equal(r.state.status, 'complete');
    assert.deepEqual(r.notes, ['done: was stopped']);
  });

  it('shows retries as running with the reason, and clears it when the turn ends', () => {
    const retry = e('session.status', { sessionID: 's1', status: { type: 'retry', attempt: 1, message: 'connection refused' } });
    const r = run([status('busy'), retry]);
    assert.deepEqual([r.state.status, r.state.error], ['running', 'retrying: connection refused']);
    assert.equal(run([status('idle')], r.state).state.error, null);
  });

  it('takes title, parent, start time and files from session.updated; marks a child and never says done for it', () => {
    const info = { id: 's1', title: 'Explore', parentID: 'p0', time: { created: Date.parse('2025-12-31T23:59:00.000Z') }, summary: { files: 4 } };
    const r = run([e('session.created', { info }), status('busy'), status('idle')]);
    assert.deepEqual([r.state.title, r.state.parentSessionId, r.state.startedAt, r.state.filesChanged], ['Explore', 'p0', '2025-12-31T23:59:00.000Z', 4]);
    assert.deepEqual(r.notes, [], 'a subagent finishing is part of its parent turn');
  });

  it('keeps the plugin excerpt and parent from meta', () => {
    const r = run([e('session.status', { sessionID: 's1', status: { type: 'idle' } }, { excerpt: 'All good.', parentID: 'p9' })]);
    assert.deepEqual([r.state.excerpt, r.state.parentSessionId, r.state.status], ['All good.', 'p9', 'idle']);
  });
});
