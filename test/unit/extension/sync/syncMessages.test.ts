import assert from 'node:assert/strict';
import { ApiError } from '../../../../extension/core/apiError';
import {
  conflictNotice, forcePushConfirmation, guardButtons, listText, pushBlockedReason, resultSummary, unsyncedChangesOf, unsyncedWarning,
} from '../../../../extension/sync/syncMessages';
import { hostOfTokenMessage, importFailedNotice } from '../../../../extension/sync/importNotice';
import { aCommit, aResult, aSyncStatus } from './builders';

describe('sync messages', () => {
  it('summarises a push with the subjects', () => {
    const r = aResult({ action: 'push', commits: [aCommit({ subject: 'Add login' }), aCommit({ subject: 'Fix logout' })] });
    assert.equal(resultSummary(r, 'shop'), 'Hangar: pushed 2 commits from "shop": “Add login”, “Fix logout”.');
    assert.equal(resultSummary(aResult({ action: 'push' }), 'shop'), 'Hangar: "shop": nothing to push.');
  });

  it('summarises a pull with how it joined and what happened to uncommitted changes', () => {
    const r = aResult({ action: 'pull', commits: [aCommit({ subject: 'Upstream fix' })], dirtyHandling: 'stashed as stash@{0}' });
    assert.equal(resultSummary(r, 'shop', 'rebase'),
      'Hangar: pulled 1 commit into "shop" (rebased): “Upstream fix”. Uncommitted changes were stashed as stash@{0}.');
    assert.equal(resultSummary(aResult({ action: 'pull' }), 'shop', 'merge'), 'Hangar: "shop" is up to date: nothing to pull.');
  });

  it('names what a force push overwrote', () => {
    const r = aResult({ action: 'push', commits: [aCommit({ subject: 'Mine' })], overwritten: [aCommit({ subject: 'Theirs' })] });
    assert.match(resultSummary(r, 'shop'), /Overwrote 1 upstream commit: “Theirs”\.$/);
  });

  it('shortens long lists of subjects and files', () => {
    const many = Array.from({ length: 7 }, (_, i) => aCommit({ subject: `c${i}` }));
    assert.match(resultSummary(aResult({ commits: many }), 'x'), /“c4” and 2 more\.$/);
    assert.equal(listText(['a', 'b', 'c']), 'a, b and c');
    assert.equal(listText(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a, b, c, d, e and 2 more');
  });

  it('builds the conflict notification: files, state and the choices', () => {
    const aborted = conflictNotice('shop', ['src/a.ts', 'README.md'], false);
    assert.match(aborted.message, /conflicts in 2 files: src\/a\.ts and README\.md\. The pull was aborted and the workspace is clean/);
    assert.deepEqual(aborted.items, ['Force Push', 'Pull and Merge', 'Open Conflicting Files', 'Cancel']);
    const kept = conflictNotice('shop', ['src/a.ts'], true);
    assert.match(kept.message, /kept in progress/);
    assert.deepEqual(kept.items, ['Open Conflicting Files', 'Force Push', 'Cancel']);
  });

  it('lists what a force push will overwrite', () => {
    const c = forcePushConfirmation('shop', aSyncStatus({ behind: 1, commitsBehind: [aCommit({ hash: 'f'.repeat(40), subject: 'Theirs', author: 'Bob' })] }));
    assert.equal(c.message, 'Force push "shop"?');
    assert.match(c.detail, /This upstream commit will no longer be on it:\n\n• fffffff Theirs \(Bob\)/);
    assert.match(forcePushConfirmation('shop', aSyncStatus()).detail, /no upstream commit would be overwritten/);
  });

  it('says why a push cannot go through', () => {
    assert.match(pushBlockedReason(aSyncStatus({ behind: 2 }))!, /behind origin\/main by 2 commits: pull first/);
    assert.equal(pushBlockedReason(aSyncStatus({ ahead: 1 })), undefined);
  });

  it('reads the 409 unsynced_changes details, and nothing else', () => {
    const details = { commitsAhead: [aCommit()], dirty: ['a.ts'] };
    const e = new ApiError(409, 'unsynced_changes', 'has work', { method: 'POST', path: '/x' }, details);
    assert.deepEqual(unsyncedChangesOf(e), details);
    assert.equal(unsyncedChangesOf(new ApiError(409, 'operation_in_progress', 'busy', { method: 'POST', path: '/x' })), undefined);
    assert.equal(unsyncedChangesOf(new Error('x')), undefined);
  });

  it('warns with the unpushed commits and uncommitted files before stopping', () => {
    const w = unsyncedWarning('stop', 'shop', { commitsAhead: [aCommit({ subject: 'Mine' })], dirty: ['a.ts'] });
    assert.equal(w.message, '"shop" has work that is not on GitHub');
    assert.match(w.detail, /^Stopping "shop" may leave it behind\./);
    assert.match(w.detail, /1 unpushed commit:\n• abc1234 Mine/);
    assert.match(w.detail, /1 file with uncommitted changes:\n• a\.ts/);
    assert.match(w.detail, /"Push, then Stop" pushes the commits to GitHub first; "Stop Anyway" goes ahead without pushing\.$/);
    assert.doesNotMatch(unsyncedWarning('delete', 'shop', { commitsAhead: [], dirty: ['a.ts'] }).detail, /Push, then/);
  });

  it('puts the safe choice first in every guard (a modal\'s Enter default), never "anyway"', () => {
    const commits = { commitsAhead: [aCommit()], dirty: [] };
    const dirtyOnly = { commitsAhead: [], dirty: ['a.ts'] };
    assert.deepEqual(guardButtons('delete', commits), { safe: 'Push, then Delete', push: true, anyway: 'Delete Anyway' });
    assert.deepEqual(guardButtons('delete', dirtyOnly), { safe: 'Keep Project', push: false, anyway: 'Delete Anyway' });
    assert.deepEqual(guardButtons('stop', dirtyOnly), { safe: 'Keep Running', push: false, anyway: 'Stop Anyway' });
    assert.deepEqual(guardButtons('changeTier', commits), { safe: 'Push, then Change the Tier', push: true, anyway: 'Change Anyway' });
  });

  it('offers Retry Import and, for a token problem, Set GitHub Token for the host the message names', () => {
    const none = 'No token was sent: git.example.com:8443 asked for credentials and you have no token for git.example.com:8443. Set one …';
    assert.deepEqual(importFailedNotice('shop', { message: none }), {
      message: `Hangar: importing the repository into "shop" failed: ${none}`, items: ['Set GitHub Token', 'Retry Import', 'Show Log'],
    });
    assert.deepEqual(importFailedNotice('shop', { message: 'Could not reach github.com (…).' }).items, ['Retry Import', 'Show Log']);
    assert.equal(hostOfTokenMessage(none), 'git.example.com:8443');
    assert.equal(hostOfTokenMessage('github.com refused the token: it answered 401/403 (…)'), 'github.com');
    assert.equal(hostOfTokenMessage('Could not reach github.com'), undefined);
  });

  it('counts the upstream commits a force push overwrites in words that agree', () => {
    const c = forcePushConfirmation('shop', aSyncStatus({ upstream: 'origin/main', commitsBehind: [aCommit(), aCommit({ hash: 'b'.repeat(40) })] }));
    assert.match(c.detail, /These 2 upstream commits will no longer be on it:/);
  });
});
