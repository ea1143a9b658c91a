import assert from 'node:assert/strict';
import { commitPicks, syncMenuItems } from '../../../../extension/sync/syncPicks';
import { aCommit, aSyncStatus, at } from './builders';

describe('sync quick picks', () => {
  it('offers Push, Pull, Fetch, Force Push, Show Commits and Open on GitHub', () => {
    const items = syncMenuItems(aSyncStatus({ ahead: 1 }), at(0));
    assert.deepEqual(items.map((i) => i.action), ['push', 'pull', 'fetch', 'forcePush', 'showCommits', 'openOnGithub']);
    assert.equal(items[0]!.description, '1 commit to origin/main');
    assert.equal(items[5]!.description, 'https://github.com/o/r');
  });

  it('offers only Retry Import while the repository is not imported (nothing to fetch or pull against)', () => {
    const items = syncMenuItems(aSyncStatus({ available: false, importState: 'failed' }), at(0));
    assert.deepEqual(items.map((i) => [i.action, i.description]), [['retryImport', 'the last import failed']]);
  });

  it('says push needs a pull first when behind, and what force push overwrites', () => {
    const items = syncMenuItems(aSyncStatus({ ahead: 1, behind: 2 }), at(0));
    assert.equal(items.find((i) => i.action === 'push')!.description, 'behind by 2: pull first (or force push)');
    assert.equal(items.find((i) => i.action === 'forcePush')!.description, 'with lease: overwrites 2 upstream commits');
    assert.equal(items.find((i) => i.action === 'pull')!.description, '2 commits from origin/main');
  });

  it('adds Open Conflicting Files on conflicts, and says uncommitted work is kept on pull', () => {
    const items = syncMenuItems(aSyncStatus({ conflicted: ['a.ts'], dirty: ['b.ts'] }), at(0));
    assert.ok(items.some((i) => i.action === 'openConflicts'));
    assert.match(items.find((i) => i.action === 'pull')!.detail ?? '', /1 uncommitted file: committed or stashed first, never discarded/);
  });

  it('only offers Fetch while the repository is not available, and no GitHub link without a web URL', () => {
    assert.deepEqual(syncMenuItems(aSyncStatus({ available: false }), 0).map((i) => i.action), ['fetch']);
    assert.ok(!syncMenuItems(aSyncStatus({ webUrl: null }), 0).some((i) => i.action === 'openOnGithub'));
  });

  it('lists the commits to push, then those to pull', () => {
    const picks = commitPicks(aSyncStatus({
      ahead: 1, behind: 1,
      commitsAhead: [aCommit({ hash: 'a'.repeat(40), subject: 'Mine' })],
      commitsBehind: [aCommit({ hash: 'b'.repeat(40), subject: 'Theirs', author: 'Bob' })],
    }), at(120));
    assert.deepEqual(picks.map((p) => [p.kind, p.label]), [
      ['separator', 'To push to origin/main (↑1)'], ['commit', 'Mine'],
      ['separator', 'To pull from origin/main (↓1)'], ['commit', 'Theirs'],
    ]);
    assert.equal(picks[3]!.description, 'bbbbbbb · Bob');
    assert.equal(picks[3]!.detail, '2 min ago');
    assert.equal(picks[3]!.hash, 'b'.repeat(40));
  });

  it('says when there is nothing to show', () => {
    assert.deepEqual(commitPicks(aSyncStatus(), at(0)).map((p) => p.label), ['In sync: no commits to push or pull']);
  });
});
