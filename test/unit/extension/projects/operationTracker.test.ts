import assert from 'node:assert/strict';
import type { Operation } from '../../../../backend/contract';
import { laterOf, OperationTracker, progressMessage } from '../../../../extension/projects/operationTracker';
import { anEvent, anOperation, aStep, FakeClock } from '../builders';

const flush = () => new Promise((r) => setImmediate(r));

describe('OperationTracker', () => {
  let clock: FakeClock;
  let polled: string[];
  let server: Map<string, Operation>;
  let tracker: OperationTracker;

  beforeEach(() => {
    clock = new FakeClock();
    polled = [];
    server = new Map();
    tracker = new OperationTracker({
      timers: clock,
      pollAfterMs: 5000,
      fetchOperation: async (projectId, id) => {
        polled.push(`${projectId}/${id}`);
        return server.get(id);
      },
    });
  });
  afterEach(() => tracker.dispose());

  it('turns progress events into updates with the latest step, and resolves on operation.finished', async () => {
    const messages: string[] = [];
    const { done } = tracker.follow(anOperation(), (op) => messages.push(progressMessage(op)));
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ state: 'running', steps: [aStep('creating the workspace')] }) }));
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ id: 'other', state: 'running', steps: [aStep('not mine')] }) }));
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ state: 'running', steps: [aStep('creating the workspace'), aStep('waiting for opencode')] }) }));
    const finished = anOperation({ state: 'succeeded', steps: [aStep('creating the workspace'), aStep('waiting for opencode'), aStep('ready')] });
    tracker.onEvent(anEvent('operation.finished', { operation: finished }));
    assert.deepEqual(messages, ['creating the workspace', 'waiting for opencode', 'ready']);
    assert.deepEqual(await done, finished);
    assert.equal(clock.pending, 0, 'no poll left behind');
  });

  it('uses events that arrived before the 202 answer', async () => {
    const finished = anOperation({ state: 'failed', error: 'opencode did not answer', steps: [aStep('starting')] });
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ state: 'running', steps: [aStep('starting')] }) }));
    tracker.onEvent(anEvent('operation.finished', { operation: finished }));
    const updates: Operation[] = [];
    const { done } = tracker.follow(anOperation(), (op) => updates.push(op));
    assert.deepEqual(await done, finished);
    assert.deepEqual(updates, [finished]);
  });

  it('ignores stale copies: state only moves forward and steps only grow', () => {
    const running2 = anOperation({ state: 'running', steps: [aStep('a'), aStep('b')] });
    assert.equal(laterOf(running2, anOperation({ state: 'running', steps: [aStep('a')] })), running2);
    assert.equal(laterOf(anOperation({ state: 'succeeded' }), running2).state, 'succeeded');
    const seen: Operation[] = [];
    tracker.follow(anOperation(), (op) => seen.push(op));
    tracker.onEvent(anEvent('operation.progress', { operation: running2 }));
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ state: 'queued' }) }));
    assert.deepEqual(seen, [running2]);
  });

  it('polls the server when events stop, and keeps polling until the operation ends', async () => {
    const { done } = tracker.follow(anOperation({ state: 'running' }));
    server.set('op1', anOperation({ state: 'running', steps: [aStep('pulling')] }));
    clock.advance(4999);
    assert.deepEqual(polled, []);
    clock.advance(1);
    await flush();
    assert.deepEqual(polled, ['p1/op1']);
    assert.equal(tracker.latest('op1')?.steps.at(-1)?.message, 'pulling');
    // An event restarts the quiet period.
    clock.advance(3000);
    tracker.onEvent(anEvent('operation.progress', { operation: anOperation({ state: 'running', steps: [aStep('pulling'), aStep('starting')] }) }));
    clock.advance(3000);
    await flush();
    assert.equal(polled.length, 1);
    server.set('op1', anOperation({ state: 'succeeded', steps: [aStep('ready')] }));
    clock.advance(2000);
    await flush();
    assert.equal((await done).state, 'succeeded');
    assert.equal(clock.pending, 0);
  });

  it('keeps polling after a failed poll', async () => {
    let calls = 0;
    const t = new OperationTracker({
      timers: clock, pollAfterMs: 1000,
      fetchOperation: async () => { calls++; throw new Error('ECONNREFUSED'); },
    });
    t.follow(anOperation({ state: 'running' }));
    clock.advance(1000);
    await flush();
    clock.advance(1000);
    await flush();
    assert.equal(calls, 2);
    t.dispose();
    assert.equal(clock.pending, 0);
  });

  it('tells finish listeners once per operation, followed or not', () => {
    const finished: string[] = [];
    tracker.onDidFinish((op) => finished.push(`${op.id}:${op.state}`));
    const done = anOperation({ id: 'x', state: 'cancelled' });
    tracker.onEvent(anEvent('operation.finished', { operation: done }));
    tracker.onEvent(anEvent('operation.finished', { operation: done }));
    assert.deepEqual(finished, ['x:cancelled']);
  });

  it('describes an operation without steps by its state', () => {
    assert.equal(progressMessage(anOperation({ state: 'queued' })), 'queued…');
    assert.equal(progressMessage(anOperation({ state: 'running' })), 'working…');
  });
});
