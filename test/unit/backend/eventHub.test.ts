import assert from 'node:assert/strict';
import type { HangarEvent } from '../../../backend/contract';
import { EventHub } from '../../../backend/events/eventHub';

describe('EventHub', () => {
  const start = 1_000_000;
  const hub = () => new EventHub(3, () => start);
  /** Publishes and answers the event the user's subscribers received. */
  const publish = (h: EventHub, user: string, id: string): HangarEvent => {
    let got: HangarEvent | undefined;
    const off = h.subscribe(user, (e) => { got = e; });
    h.publish(user, 'project.deleted', { id });
    off();
    return got!;
  };

  it('numbers events monotonically from the start time', async () => {
    const h = hub();
    const a = publish(h, 'u', 'a');
    const b = publish(h, 'v', 'b');
    assert.deepEqual([a.id, b.id, h.lastIssuedId], [start, start + 1, start + 1]);
  });

  it('replays only the events after the given id, for that user only', async () => {
    const h = hub();
    const first = publish(h, 'u', '1');
    publish(h, 'v', 'other');
    publish(h, 'u', '2');
    const r = await h.replaySince('u', first.id);
    assert.equal(r.kind, 'replay');
    assert.deepEqual(r.kind === 'replay' && r.events.map((e) => (e.data as { id: string }).id), ['2']);
  });

  it('asks for a resync when events were evicted, the id predates the start, or is unknown', async () => {
    const h = hub();
    const first = publish(h, 'u', '0');
    for (let i = 1; i <= 4; i++) publish(h, 'u', String(i));
    assert.equal((await h.replaySince('u', first.id)).kind, 'resync');
    assert.equal((await h.replaySince('u', start - 100)).kind, 'resync');
    assert.equal((await h.replaySince('u', h.lastIssuedId + 5)).kind, 'resync');
    assert.equal((await h.replaySince('u', h.lastIssuedId - 1)).kind, 'replay');
  });

  it('an id just before the first event is not a gap', async () => {
    const h = hub();
    publish(h, 'u', 'x');
    const r = await h.replaySince('u', start - 1);
    assert.equal(r.kind === 'replay' && r.events.length, 1);
  });

  it('delivers to subscribers until they unsubscribe', async () => {
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
