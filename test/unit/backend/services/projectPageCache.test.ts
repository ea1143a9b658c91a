import assert from 'node:assert/strict';
import { ProjectPageCache, type ProjectPage } from '../../../../backend/services/projectPageCache';

/** A page read counter: each read returns a new page object naming the read. */
function reader() {
  const state = { reads: 0 };
  const read = async (): Promise<ProjectPage> => ({ items: [], nextCursor: `read ${++state.reads}` });
  return { state, read };
}

describe('ProjectPageCache: an unchanged page of the project list is read once', () => {
  it('answers the same owner, tag, limit and cursor from memory', async () => {
    const cache = new ProjectPageCache();
    const { state, read } = reader();
    const first = await cache.get('alice', 't1', 100, undefined, read);
    for (let i = 0; i < 5; i++) assert.equal(await cache.get('alice', 't1', 100, undefined, read), first);
    assert.equal(state.reads, 1);
    // Another limit, cursor or owner is another page.
    await cache.get('alice', 't1', 50, undefined, read);
    await cache.get('alice', 't1', 100, 'c2', read);
    await cache.get('bob', 't1', 100, undefined, read);
    assert.equal(state.reads, 4);
  });

  it('reads again once the owner\'s list tag changed, and forgets the pages of the old tag', async () => {
    const cache = new ProjectPageCache();
    const { state, read } = reader();
    await cache.get('alice', 't1', 100, undefined, read);
    const renewed = await cache.get('alice', 't2', 100, undefined, read);
    assert.deepEqual([state.reads, renewed.nextCursor], [2, 'read 2']);
    // Back to t1 (never happens with random tags, but nothing of t1 is kept).
    await cache.get('alice', 't1', 100, undefined, read);
    assert.equal(state.reads, 3);
  });

  it('stays within its bounds: owners and pages per owner, least recently used first', async () => {
    const cache = new ProjectPageCache({ owners: 2, pagesPerOwner: 2 });
    const { state, read } = reader();
    await cache.get('a', 't', 1, undefined, read);
    await cache.get('b', 't', 1, undefined, read);
    await cache.get('a', 't', 1, undefined, read); // a is now the most recent
    await cache.get('c', 't', 1, undefined, read); // b goes
    assert.equal(state.reads, 3);
    await cache.get('a', 't', 1, undefined, read);
    assert.equal(state.reads, 3);
    await cache.get('b', 't', 1, undefined, read);
    assert.equal(state.reads, 4);
    await cache.get('b', 't', 1, 'x', read);
    await cache.get('b', 't', 1, 'y', read); // b's first page goes
    await cache.get('b', 't', 1, undefined, read);
    assert.equal(state.reads, 7);
  });
});
