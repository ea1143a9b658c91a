import assert from 'node:assert/strict';
import { HangarStore } from '../../../../extension/core/hangarStore';
import { anEvent, aProject, aTier } from '../builders';

function loaded(projects = [aProject()], tiers = [aTier({ isDefault: true })]): HangarStore {
  const store = new HangarStore();
  store.beginLoad();
  store.finishLoad({ projects, tiers }, 1);
  return store;
}

describe('HangarStore', () => {
  it('applies created, updated and deleted project events and notifies once per change', () => {
    const store = loaded([]);
    let changes = 0;
    store.onDidChange(() => changes++);
    store.apply(anEvent('project.created', { project: aProject({ id: 'b', name: 'beta' }) }));
    store.apply(anEvent('project.created', { project: aProject({ id: 'a', name: 'Alpha' }) }));
    store.apply(anEvent('project.updated', { project: aProject({ id: 'a', name: 'Alpha', status: 'running', updatedAt: '2025-01-02T00:00:00.000Z' }) }));
    assert.deepEqual(store.projects.map((p) => [p.name, p.status]), [['Alpha', 'running'], ['beta', 'not_deployed']]);
    store.apply(anEvent('project.deleted', { id: 'b' }));
    store.apply(anEvent('project.deleted', { id: 'missing' }));
    assert.deepEqual(store.projects.map((p) => p.id), ['a']);
    assert.equal(changes, 4);
  });

  it('ignores an update older than the copy it has', () => {
    const store = loaded([aProject({ status: 'running', updatedAt: '2025-01-03T00:00:00.000Z' })]);
    store.apply(anEvent('project.updated', { project: aProject({ status: 'deploying', updatedAt: '2025-01-02T00:00:00.000Z' }) }));
    assert.equal(store.project('p1')?.status, 'running');
  });

  it('asks for a refetch on resync', () => {
    assert.equal(loaded().apply(anEvent('resync', { reason: 'buffer overflow' })), true);
  });

  it('replays events that arrive during a fetch on top of its result', () => {
    const store = loaded([]);
    store.beginLoad();
    store.apply(anEvent('project.created', { project: aProject({ id: 'new', name: 'new' }) }));
    assert.equal(store.projects.length, 0, 'held until the fetch ends');
    store.finishLoad({ projects: [aProject()], tiers: [] }, 2);
    assert.deepEqual(store.projects.map((p) => p.id).sort(), ['new', 'p1']);
  });

  it('keeps one default tier when tier.changed moves the default', () => {
    const store = loaded([], [aTier({ id: 'lite', isDefault: true, cpus: 1 }), aTier({ id: 'pro', cpus: 4 })]);
    store.apply(anEvent('tier.changed', { tier: aTier({ id: 'pro', cpus: 4, isDefault: true }) }));
    assert.deepEqual(store.tiers.map((t) => [t.id, t.isDefault]), [['pro', true], ['lite', false]]);
  });

  it('records a failed part without losing the other', () => {
    const store = new HangarStore();
    store.beginLoad();
    store.finishLoad({ projects: { error: 'boom' }, tiers: [aTier()] }, 3);
    assert.deepEqual(store.projectsLoad, { kind: 'error', message: 'boom' });
    assert.deepEqual(store.tiersLoad, { kind: 'loaded', at: 3 });
  });
});

describe('HangarStore transitional statuses', () => {
  it('shows a transitional status at once when no status news arrived since the request', () => {
    const store = loaded([aProject({ id: 'p1', status: 'stopped', statusReason: 'stopped by ada' })]);
    const version = store.statusVersion('p1');
    assert.equal(store.showTransitional('p1', 'starting', version), true);
    assert.deepEqual([store.project('p1')?.status, store.project('p1')?.statusReason], ['starting', null]);
  });

  it('does not roll back a status the server reported before the 202 answer', () => {
    const store = loaded([aProject({ id: 'p1', status: 'running' })]);
    const version = store.statusVersion('p1');
    store.apply(anEvent('project.status', { projectId: 'p1', status: 'stopping', reason: null }));
    store.apply(anEvent('project.status', { projectId: 'p1', status: 'stopped', reason: null }));
    assert.equal(store.showTransitional('p1', 'stopping', version), false);
    assert.equal(store.project('p1')?.status, 'stopped');
  });

  it('counts a fetch that changed the status as news, and one that did not as none', () => {
    const store = loaded([aProject({ id: 'p1', status: 'stopped' })]);
    const version = store.statusVersion('p1');
    store.beginLoad();
    store.finishLoad({ projects: [aProject({ id: 'p1', status: 'stopped' })], tiers: [] }, 2);
    assert.equal(store.statusVersion('p1'), version);
    store.beginLoad();
    store.finishLoad({ projects: [aProject({ id: 'p1', status: 'crashed', statusReason: 'exit 1' })], tiers: [] }, 3);
    assert.equal(store.showTransitional('p1', 'starting', version), false);
  });
});
