import assert from 'node:assert/strict';
import { aProject } from '../builders';
import { relativeTime, statusBarView, syncBadge } from '../../../../extension/sync/syncFormat';
import { projectRow } from '../../../../extension/projects/treeModel';
import { aSyncStatus, at } from './builders';

const repo = { url: 'https://github.com/o/r', branch: 'main', sync: { enabled: true, direction: 'both' as const } };
const withRepo = aProject({ repository: repo });

describe('sync formatting', () => {
  it('shows branch, ahead and behind in the status bar', () => {
    const v = statusBarView(withRepo, aSyncStatus({ ahead: 1, behind: 0 }), at(60));
    assert.equal(v.visible, true);
    assert.equal(v.text, '$(git-branch) main ↑1 ↓0');
    assert.equal(v.warning, false);
  });

  it('spins while syncing, marks a dirty branch and warns on conflicts', () => {
    assert.equal(statusBarView(withRepo, aSyncStatus({ syncing: true, ahead: 2 }), at(0)).text, '$(sync~spin) main ↑2 ↓0');
    assert.equal(statusBarView(withRepo, aSyncStatus({ dirty: ['a.ts'] }), at(0)).text, '$(git-branch) main* ↑0 ↓0');
    const conflict = statusBarView(withRepo, aSyncStatus({ conflicted: ['a.ts', 'b.ts'], inProgress: 'merge', behind: 1 }), at(0));
    assert.equal(conflict.text, '$(git-branch) main ↑0 ↓1 $(warning) 2');
    assert.equal(conflict.warning, true);
    assert.match(conflict.tooltip, /Conflicts in 2 files:\*\* a\\\.ts, b\\\.ts/);
  });

  it('is hidden without a focused project or without a repository', () => {
    assert.equal(statusBarView(undefined, aSyncStatus(), 0).visible, false);
    assert.equal(statusBarView(aProject(), aSyncStatus(), 0).visible, false);
  });

  it('says why when the repository cannot be synced yet', () => {
    const v = statusBarView(withRepo, aSyncStatus({ available: false, branch: null, message: 'Deploy the project first.' }), 0);
    assert.equal(v.text, '$(git-branch) main $(circle-slash)');
    assert.match(v.tooltip, /Deploy the project first\\\./);
  });

  it('says in the item itself when the import failed or never ran, not ↑0 ↓0', () => {
    const failed = statusBarView(withRepo, aSyncStatus({ available: false, importState: 'failed', message: 'The import of x failed: No token was sent.' }), 0);
    assert.deepEqual([failed.text, failed.warning], ['$(git-branch) main $(error) import failed', true]);
    assert.match(failed.tooltip, /Click for Retry Import\./);
    assert.match(failed.accessibilityLabel, /the import failed/);
    const missing = statusBarView(withRepo, aSyncStatus({ available: false, importState: 'missing', message: 'not imported' }), 0);
    assert.deepEqual([missing.text, missing.warning], ['$(git-branch) main $(circle-slash) not imported', false]);
    assert.equal(syncBadge(aSyncStatus({ available: false, importState: 'failed' })), 'import failed');
    assert.equal(syncBadge(aSyncStatus({ available: false, importState: 'missing', syncing: true })), 'importing…');
  });

  it('lists upstream, last fetch and last sync in the tooltip', () => {
    const v = statusBarView(withRepo, aSyncStatus({ ahead: 1, lastFetchAt: '2025-01-01T00:00:00.000Z', lastSyncAt: '2025-01-01T00:00:00.000Z', lastSyncDirection: 'pull' }), at(300));
    assert.match(v.tooltip, /Branch `main` → `origin\/main`/);
    assert.match(v.tooltip, /↑ 1 commit to push · ↓ 0 commits to pull/);
    assert.match(v.tooltip, /Last fetch: 5 min ago/);
    assert.match(v.tooltip, /Last sync: pulled 5 min ago/);
  });

  it('formats relative times', () => {
    assert.equal(relativeTime(null, 0), 'never');
    assert.equal(relativeTime('2025-01-01T00:00:00.000Z', at(10)), 'just now');
    assert.equal(relativeTime('2025-01-01T00:00:00.000Z', at(7200)), '2 h ago');
    assert.equal(relativeTime('2025-01-01T00:00:00.000Z', at(3 * 86400)), '3 days ago');
  });

  it('puts the sync state in the project row description', () => {
    assert.equal(syncBadge(aSyncStatus({ ahead: 1 })), '↑1 ↓0');
    assert.equal(syncBadge(aSyncStatus({ conflicted: ['x'], syncing: true })), '↑0 ↓0 ⚠ 1 conflict syncing…');
    assert.equal(syncBadge(aSyncStatus({ available: false })), undefined);
    assert.equal(projectRow(withRepo, undefined, aSyncStatus({ ahead: 1 })).description, 'standard · not deployed · ↑1 ↓0');
    assert.equal(projectRow(aProject(), undefined, aSyncStatus({ ahead: 1 })).description, 'standard · not deployed');
    assert.equal(projectRow(withRepo).description, 'standard · not deployed');
  });
});
