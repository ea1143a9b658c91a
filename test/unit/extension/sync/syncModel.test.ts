import assert from 'node:assert/strict';
import { SyncModel } from '../../../../extension/sync/syncModel';
import { anEvent } from '../builders';
import { aResult, aSyncStatus } from './builders';

describe('SyncModel', () => {
  it('keeps the latest status per project from sync.status events and GETs', () => {
    const m = new SyncModel();
    let changes = 0;
    m.onDidChange(() => changes++);
    assert.equal(m.apply(anEvent('sync.status', { status: aSyncStatus({ ahead: 1 }) })), true);
    m.set(aSyncStatus({ projectId: 'p2', behind: 3 }));
    assert.equal(m.status('p1')?.ahead, 1);
    assert.equal(m.status('p2')?.behind, 3);
    m.apply(anEvent('sync.status', { status: aSyncStatus({ ahead: 0 }) }));
    assert.equal(m.status('p1')?.ahead, 0);
    assert.equal(changes, 3);
    assert.deepEqual(Object.keys(m.all()).sort(), ['p1', 'p2']);
  });

  it('ignores unrelated events', () => {
    const m = new SyncModel();
    assert.equal(m.apply(anEvent('project.status', { projectId: 'p1', status: 'running', reason: null })), false);
  });

  it('tracks the focused project and says when it moved', () => {
    const m = new SyncModel();
    assert.equal(m.setFocus('p1', 'tree'), true);
    assert.equal(m.setFocus('p1', 'chat'), false);
    assert.equal(m.focusSource, 'chat');
    assert.equal(m.setFocus('p2', 'chat'), true);
    assert.equal(m.focused, 'p2');
  });

  it('forgets a deleted project and drops the focus from it', () => {
    const m = new SyncModel();
    m.set(aSyncStatus());
    m.setFocus('p1', 'tree');
    assert.equal(m.apply(anEvent('project.deleted', { id: 'p1' })), true);
    assert.equal(m.status('p1'), undefined);
    assert.equal(m.focused, undefined);
  });

  it('hands a sync.result to whoever waits for its operation, whether it arrived before or after', async () => {
    const m = new SyncModel();
    const finished: string[] = [];
    m.onDidFinish((r) => finished.push(r.operationId));
    const early = m.waitForResult('op1');
    m.apply(anEvent('sync.result', { projectId: 'p1', operationId: 'op1', result: aResult({ message: 'pushed 1' }) }));
    assert.equal((await early.done).result.message, 'pushed 1');
    const late = m.waitForResult('op1');
    assert.equal((await late.done).result.message, 'pushed 1');
    assert.deepEqual(finished, ['op1']);
  });

  it('a disposed waiter is not called', () => {
    const m = new SyncModel();
    let called = false;
    const w = m.waitForResult('op9');
    void w.done.then(() => { called = true; });
    w.dispose();
    m.apply(anEvent('sync.result', { projectId: 'p1', operationId: 'op9', result: aResult() }));
    return new Promise<void>((r) => setImmediate(() => { assert.equal(called, false); r(); }));
  });
});
