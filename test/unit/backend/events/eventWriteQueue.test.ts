import assert from 'node:assert/strict';
import {
  EventWriteQueue, RESYNC_REASON, isTransientDbError, retryDelay, type QueuedEvent,
} from '../../../../backend/events/eventWriteQueue';

const ev = (userId: string, n: number): QueuedEvent => ({ userId, type: 'project.deleted', data: JSON.stringify({ id: `${n}` }), at: `t${n}` });
const ids = (items: QueuedEvent[]) => items.map((e) => (e.type === 'resync' ? `resync:${e.userId}` : (JSON.parse(e.data) as { id: string }).id));

describe('EventWriteQueue', () => {
  it('gives events back in publish order, a failed batch ahead of what came meanwhile', () => {
    const q = new EventWriteQueue(100);
    for (let i = 0; i < 5; i++) q.push(ev('a', i));
    const batch = q.take(3);
    q.push(ev('a', 5));
    q.putBack(batch);
    assert.deepEqual(ids(q.take(10)), ['0', '1', '2', '3', '4', '5']);
    assert.equal(q.length, 0);
  });

  it('past its bound drops the oldest and puts one resync per user who lost an event in their place', () => {
    const q = new EventWriteQueue(10);
    for (let i = 0; i < 10; i++) q.push(ev(i % 2 ? 'bob' : 'alice', i));
    assert.equal(q.length, 10);
    q.push(ev('carol', 10));
    // 11 > 10: the oldest 6 go (half the room stays), alice and bob each get a resync in front.
    const left = q.take(100);
    assert.deepEqual(ids(left), ['resync:alice', 'resync:bob', '6', '7', '8', '9', '10']);
    assert.deepEqual(JSON.parse(left[0]!.data), { reason: RESYNC_REASON });
    assert.equal(left[0]!.at, 't5', 'the resync stands where the last dropped event stood');
    assert.equal(q.dropped, 6);
  });

  it('stays bounded through a long outage and counts only real events as dropped', () => {
    const q = new EventWriteQueue(10);
    for (let i = 0; i < 1000; i++) q.push(ev('alice', i));
    assert.ok(q.length <= 10, `length ${q.length}`);
    const left = ids(q.take(100));
    assert.equal(left[0], 'resync:alice');
    assert.equal(left.filter((x) => x.startsWith('resync')).length, 1, 'one resync for alice, not one per trim');
    assert.equal(left.at(-1), '999');
    assert.equal(q.dropped, 1000 - (left.length - 1));
  });

  it('clear empties it and says how many were lost', () => {
    const q = new EventWriteQueue(10);
    q.push(ev('a', 1));
    q.push(ev('a', 2));
    assert.equal(q.clear(), 2);
    assert.equal(q.length, 0);
  });
});

describe('event write retries', () => {
  it('doubles the delay up to the cap', () => {
    assert.deepEqual([0, 1, 2, 3, 6, 100].map((n) => retryDelay(n, 100, 5000)), [100, 200, 400, 800, 5000, 5000]);
  });

  it('retries connection and shutdown errors, not data errors', () => {
    const err = (code?: string) => Object.assign(new Error('x'), code ? { code } : {});
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '08006', '57P01', '57P03', '53300', '40001']) {
      assert.equal(isTransientDbError(err(code)), true, code);
    }
    assert.equal(isTransientDbError(new Error('Connection terminated unexpectedly')), true);
    for (const code of ['23505', '22P02', '42P01']) assert.equal(isTransientDbError(err(code)), false, code);
  });
});
