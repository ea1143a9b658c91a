import assert from 'node:assert/strict';
import { EventHub } from '../../../backend/events/eventHub';

describe('EventHub', () => {
  const start = 1_000_000;
  const hub = () => new EventHub(3, () => start);

  it('numbers events monotonically from the start time', () => {
    const h = hub();
    const a = h.publish('u', 'project.deleted', { id: 'a' });
    const b = h.publish('v', 'project.deleted', { id: 'b' });
    assert.deepEqual([a.id, b.id, h.lastIssuedId], [start, start + 1, start + 1]);
  });

  it('replays only the events after the given id, for that user only', () => {
    const h = hub();
    const first = h.publish('u', 'project.deleted', { id: '1' });
    h.publish('v', 'project.deleted', { id: 'other' });
    h.publish('u', 'project.deleted', { id: '2' });
    const r = h.replaySince('u', first.id);
    assert.equal(r.kind, 'replay');
    assert.deepEqual(r.kind === 'replay' && r.events.map((e) => (e.data as { id: string }).id), ['2']);
  });

  it('asks for a resync when events were evicted, the id predates the start, or is unknown', () => {
    const h = hub();
    const first = h.publish('u', 'project.deleted', { id: '0' });
    for (let i = 1; i <= 4; i++) h.publish('u', 'project.deleted', { id: String(i) });
    assert.equal(h.replaySince('u', first.id).kind, 'resync');
    assert.equal(h.replaySince('u', start - 100).kind, 'resync');
    assert.equal(h.replaySince('u', h.lastIssuedId + 5).kind, 'resync');
    assert.equal(h.replaySince('u', h.lastIssuedId - 1).kind, 'replay');
  });

  it('an id just before the first event is not a gap', () => {
    const h = hub();
    h.publish('u', 'project.deleted', { id: 'x' });
    const r = h.replaySince('u', start - 1);
    assert.equal(r.kind === 'replay' && r.events.length, 1);
  });

  it('delivers to subscribers until they unsubscribe', () => {
    const h = hub();
    const got: number[] = [];
    const off = h.subscribe('u', (e) => got.push(e.id));
    h.publish('u', 'project.deleted', { id: 'a' });
    off();
    h.publish('u', 'project.deleted', { id: 'b' });
    assert.deepEqual(got, [start]);
    assert.equal(h.listenerCount('u'), 0);
  });
});
