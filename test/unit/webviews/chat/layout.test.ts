import assert from 'node:assert/strict';
import { HeightCache, isAtBottom } from '../../../../webviews/chat/store/layout';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

describe('chat transcript layout', () => {
  it('places rows by estimate until measured, then by their real heights', () => {
    const c = new HeightCache(() => 100);
    c.setKeys(keys(3));
    assert.equal(c.total, 300);
    assert.equal(c.measure('m1', 40), true);
    assert.equal(c.measure('m1', 40), false, 'the same height changes nothing');
    assert.equal(c.offsetOf(2), 140);
    assert.equal(c.total, 240);
  });

  it('finds the rows in view plus overscan, by binary search', () => {
    const c = new HeightCache(() => 50);
    c.setKeys(keys(10_000));
    assert.deepEqual(c.window(0, 500, 0), { start: 0, end: 11 });
    assert.deepEqual(c.window(250_000, 500, 100), { start: 4998, end: 5013 });
    assert.deepEqual(c.window(10_000_000, 500, 0), { start: 9999, end: 10_000 });
    assert.equal(c.indexAt(-5), 0);
  });

  it('keeps only a window for 5,000 messages, and lays them out quickly', () => {
    const c = new HeightCache((k) => 60 + (Number(k.slice(1)) % 7) * 20);
    const ks = keys(5_000);
    const t0 = performance.now();
    c.setKeys(ks);
    const total = c.total;
    for (let i = 0; i < 100; i++) c.measure(`m${4_900 + i}`, 90);
    const w = c.window(c.total - 800, 800);
    console.log(`      5,000 rows laid out (twice) in ${(performance.now() - t0).toFixed(1)} ms; window ${w.start}–${w.end}`);
    assert.ok(total > 0);
    assert.equal(w.end, 5_000);
    assert.ok(w.end - w.start < 40);
  });

  it('forgets heights of rows that are gone', () => {
    const c = new HeightCache(() => 10);
    c.setKeys(keys(2));
    c.measure('m0', 99);
    c.prune(new Set(['m1']));
    assert.equal(c.heightOf('m0'), 10);
  });

  it('counts the last 40 px as the bottom', () => {
    assert.equal(isAtBottom(960, 1000, 2000), true);
    assert.equal(isAtBottom(900, 1000, 2000), false);
  });
});
