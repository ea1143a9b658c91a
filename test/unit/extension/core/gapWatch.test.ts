import assert from 'node:assert/strict';
import type { ConnectionState } from '../../../../extension/connection/connectionState';
import { GapWatch, type GapConflict } from '../../../../extension/core/gapWatch';
import { HangarStore } from '../../../../extension/core/hangarStore';
import { PromptQueue } from '../../../../extension/chat/promptQueue';
import { gapMessage, GapNotes, withGapNote } from '../../../../extension/projects/gapNotes';
import { aProject, aTier, anEvent } from '../builders';

const URL = 'https://h';
const me = { id: 'u', username: 'alice', role: 'user' } as never;
const CONNECTED: ConnectionState = { kind: 'connected', url: URL, user: me, version: '1' };
const OFFLINE: ConnectionState = { kind: 'offline', url: URL, reason: 'ECONNREFUSED', retryInMs: 1000 };
const CONNECTING: ConnectionState = { kind: 'connecting', url: URL, reconnecting: false };

/** A store and a watch driven by hand: `go(state)` is the session's transition, `gone` the server's 404s. */
function world(gone: string[] = []) {
  const store = new HangarStore();
  let state: ConnectionState = CONNECTING;
  let t = 1000;
  const found: GapConflict[][] = [];
  const watch = new GapWatch({ store, state: () => state, isGone: async (id) => gone.includes(id), now: () => t });
  watch.onDidFind((c) => found.push(c));
  const go = (next: ConnectionState) => { const before = state; state = next; watch.stateChanged(before, next); };
  const load = (projects: ReturnType<typeof aProject>[], at = t) => store.finishLoad({ projects, tiers: [aTier()] }, at);
  return { store, watch, found, go, load, tick: (ms: number) => { t += ms; } };
}
const settle = () => new Promise((r) => setImmediate(r));
const summary = (c: GapConflict): string[] => [c.kind, c.project.name, c.kind === 'deleted' ? '' : `${c.from}→${c.to}`];

describe('core: conflicts after a gap (issue #14)', () => {
  const alpha = aProject({ id: 'p-alpha', name: 'alpha', tierId: 'lite', runtime: 'local' });
  const beta = aProject({ id: 'p-beta', name: 'beta', tierId: 'lite', runtime: 'local' });
  const gamma = aProject({ id: 'p-gamma', name: 'gamma', tierId: 'lite', runtime: 'local' });

  it('reports a project deleted, one moved to another tier and one to another runtime while offline', async () => {
    const w = world(['p-alpha']);
    w.go(CONNECTED);
    w.load([alpha, beta, gamma]);
    w.go(OFFLINE);
    w.tick(60_000);
    w.go(CONNECTED);
    assert.deepEqual(w.found, [], 'nothing before the fresh fetch');
    w.load([{ ...beta, tierId: 'pro' }, { ...gamma, runtime: 'docker' }]);
    await settle();
    assert.deepEqual(w.found.flat().map(summary), [
      ['deleted', 'alpha', ''], ['tierChanged', 'beta', 'lite→pro'], ['runtimeChanged', 'gamma', 'local→docker'],
    ]);
    w.load([{ ...beta, tierId: 'pro' }, { ...gamma, runtime: 'docker' }]);
    await settle();
    assert.equal(w.found.length, 1, 'told once per gap');
  });

  it('takes the baseline when the gap begins: an event replayed on reconnecting does not hide a deletion', async () => {
    const w = world(['p-alpha']);
    w.go(CONNECTED);
    w.load([alpha, beta]);
    w.go({ kind: 'connecting', url: URL, reconnecting: true });
    w.store.apply(anEvent('project.deleted', { id: 'p-alpha' }));
    w.tick(10);
    w.go(CONNECTED);
    w.load([beta]);
    await settle();
    assert.deepEqual(w.found.flat().map((c) => [c.kind, c.project.name]), [['deleted', 'alpha']]);
  });

  it('compares a window opened offline with the copy it showed from the offline store', async () => {
    const w = world();
    w.go(OFFLINE);
    w.load([alpha, beta], 1); // the offline copy, fetched long ago
    w.tick(5_000);
    w.go(CONNECTED);
    w.load([alpha, { ...beta, tierId: 'standard' }]);
    await settle();
    assert.deepEqual(w.found.flat().map((c) => [c.kind, c.project.name]), [['tierChanged', 'beta']]);
  });

  it('does not call a project beyond the first page deleted: only the server\'s 404 does', async () => {
    const w = world([]);
    w.go(CONNECTED);
    w.load([alpha, beta]);
    w.go(OFFLINE);
    w.tick(10);
    w.go(CONNECTED);
    w.load([beta]);
    await settle();
    assert.deepEqual(w.found, []);
  });

  it('says nothing after a gap in which nothing changed, and forgets the gap on disconnect', async () => {
    const w = world(['p-alpha']);
    w.go(CONNECTED);
    w.load([alpha]);
    w.go(OFFLINE);
    w.tick(10);
    w.go(CONNECTED);
    w.load([alpha]);
    await settle();
    w.go(OFFLINE);
    w.go({ kind: 'disconnected' });
    w.go(CONNECTING);
    w.go(CONNECTED);
    w.load([]);
    await settle();
    assert.deepEqual(w.found, []);
  });

  it('notes a moved project on its row until the notification is read, and names every change', () => {
    const notes = new GapNotes();
    const conflicts: GapConflict[] = [
      { kind: 'tierChanged', project: beta, from: 'lite', to: 'pro' },
      { kind: 'deleted', project: alpha },
    ];
    notes.add(conflicts);
    const row = withGapNote({ description: 'lite · running', tooltip: '**beta**' }, notes.forProject('p-beta'));
    assert.equal(row.description, 'lite · running · tier changed while offline (lite → pro)');
    assert.match(row.tooltip, /^\$\(warning\) \*\*Changed while offline:\*\* tier changed while offline \(lite → pro\)\.\n\n\*\*beta\*\*$/);
    assert.equal(gapMessage(conflicts),
      'Hangar: while you were offline, on the server "alpha" was deleted; "beta" moved from tier lite to pro. The views now show the server\'s state.');
    notes.clear(['p-beta', 'p-alpha']);
    assert.equal(notes.forProject('p-beta'), undefined);
  });

  it('fails the prompts waiting for a deleted project with the reason; they are not sent again by themselves', async () => {
    let sends = 0;
    const queue = new PromptQueue({ canSend: () => true, deliver: async () => { sends++; throw new Error('x'); }, changed: () => {} });
    queue.add({ sessionId: 'ses_a', text: 'one', mentions: [] });
    queue.abandon('Not sent: "alpha" was deleted on the server while Hangar was offline.');
    await queue.resume();
    await queue.pump();
    assert.equal(sends, 0);
    assert.deepEqual(queue.items.map((i) => [i.error, i.retryable]), [['Not sent: "alpha" was deleted on the server while Hangar was offline.', false]]);
  });
});
