import assert from 'node:assert/strict';
import { RingBuffer } from '../../../../backend/events/ringBuffer';

const item = (id: number) => ({ id });

describe('RingBuffer', () => {
  it('returns the items after an id, oldest first, with sparse ids', () => {
    const b = new RingBuffer<{ id: number }>(5);
    for (const id of [10, 12, 15, 20]) b.push(item(id));
    assert.deepEqual(b.after(12).map((i) => i.id), [15, 20]);
    assert.deepEqual(b.after(13).map((i) => i.id), [15, 20]);
    assert.deepEqual(b.after(0).map((i) => i.id), [10, 12, 15, 20]);
    assert.deepEqual(b.after(20), []);
    assert.equal(b.evictedUpTo, 0);
  });

  it('drops the oldest when full and remembers the highest evicted id', () => {
    const b = new RingBuffer<{ id: number }>(3);
    for (let id = 1; id <= 7; id++) b.push(item(id));
    assert.equal(b.size, 3);
    assert.equal(b.evictedUpTo, 4);
    assert.deepEqual(b.after(4).map((i) => i.id), [5, 6, 7]);
    assert.deepEqual(b.after(5).map((i) => i.id), [6, 7]);
    assert.equal(b.last()?.id, 7);
  });

  it('also drops the oldest when the sizes exceed the byte budget, keeping the newest', () => {
    const b = new RingBuffer<{ id: number }>(10, 100);
    b.push(item(1), 40);
    b.push(item(2), 40);
    b.push(item(3), 40);
    assert.deepEqual([b.after(0).map((i) => i.id), b.bytes, b.evictedUpTo], [[2, 3], 80, 1]);
    b.push(item(4), 500);
    assert.deepEqual([b.after(0).map((i) => i.id), b.bytes, b.evictedUpTo], [[4], 500, 3]);
  });

  it('refuses ids that do not increase', () => {
    const b = new RingBuffer<{ id: number }>(3);
    b.push(item(2));
    assert.throws(() => b.push(item(2)), /ids must increase/);
  });
});
