import assert from 'node:assert/strict';
import { parseLeftRight, parseLog, parsePorcelainV2 } from '../../../../backend/sync/porcelain';

describe('sync: git porcelain parsing', () => {
  it('reads branch, upstream, ahead/behind, changed, renamed, untracked and conflicted paths', () => {
    const out = [
      '# branch.oid 1234567890abcdef1234567890abcdef12345678',
      '# branch.head main',
      '# branch.upstream origin/main',
      '# branch.ab +2 -3',
      '1 .M N... 100644 100644 100644 aaa bbb src/with space.ts',
      '2 R. N... 100644 100644 100644 aaa bbb R100 new name.txt', 'old name.txt',
      'u UU N... 100644 100644 100644 100644 aaa bbb ccc a.txt',
      '? untracked.md',
      '',
    ].join('\0');
    assert.deepEqual(parsePorcelainV2(out), {
      branch: 'main', oid: '1234567890abcdef1234567890abcdef12345678', upstream: 'origin/main', ahead: 2, behind: 3,
      dirty: ['src/with space.ts', 'new name.txt', 'untracked.md'], conflicted: ['a.txt'],
    });
  });

  it('reads an unborn, detached or upstream-less head', () => {
    assert.deepEqual(parsePorcelainV2('# branch.oid (initial)\0# branch.head main\0'), {
      branch: 'main', oid: null, upstream: null, ahead: null, behind: null, dirty: [], conflicted: [],
    });
    assert.equal(parsePorcelainV2('# branch.oid abc\0# branch.head (detached)\0').branch, null);
  });

  it('reads rev-list counts and refuses anything else', () => {
    assert.deepEqual(parseLeftRight('4\t1\n'), { left: 4, right: 1 });
    assert.throws(() => parseLeftRight('fatal: bad revision'), /unexpected rev-list output/);
  });

  it('reads log records with any subject text', () => {
    const out = 'abc\x1fFix: a | b; c\x1fAda Lovelace\x1f2026-01-02T03:04:05+01:00\x1e\ndef\x1f\x1fBob\x1f2026-01-01T00:00:00Z\x1e\n';
    assert.deepEqual(parseLog(out), [
      { hash: 'abc', subject: 'Fix: a | b; c', author: 'Ada Lovelace', time: '2026-01-02T02:04:05.000Z' },
      { hash: 'def', subject: '', author: 'Bob', time: '2026-01-01T00:00:00.000Z' },
    ]);
  });
});
