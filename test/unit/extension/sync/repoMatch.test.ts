import assert from 'node:assert/strict';
import { conflictedInPorcelain, repositoryKey, repositoryName, sameRepository } from '../../../../extension/sync/repoMatch';

describe('repository matching', () => {
  it('treats https, .git, scp-like and ssh URLs of one repository as the same', () => {
    const urls = ['https://github.com/Owner/Repo', 'https://github.com/owner/repo.git', 'git@github.com:owner/repo.git',
      'ssh://git@github.com/owner/repo', 'https://user@github.com/owner/repo/'];
    for (const u of urls) assert.ok(sameRepository(u, 'https://github.com/owner/repo'), u);
  });

  it('tells different repositories and hosts apart, and refuses nonsense', () => {
    assert.ok(!sameRepository('https://github.com/owner/repo2', 'https://github.com/owner/repo'));
    assert.ok(!sameRepository('https://gitlab.com/owner/repo', 'https://github.com/owner/repo'));
    assert.equal(repositoryKey(''), undefined);
    assert.equal(repositoryKey('file:///tmp/repo'), undefined);
    assert.ok(!sameRepository('not a url', 'not a url'));
  });

  it('derives a project name from the URL', () => {
    assert.equal(repositoryName('https://github.com/owner/my-repo.git'), 'my-repo');
    assert.equal(repositoryName('https://github.com/owner/my-repo/'), 'my-repo');
  });

  it('finds the unmerged paths in git status --porcelain -z output', () => {
    const out = ['UU src/a.ts', 'M  b.ts', 'AA both added.txt', 'R  new.ts', 'old.ts', 'DU gone.ts', ''].join('\0');
    assert.deepEqual(conflictedInPorcelain(out), ['src/a.ts', 'both added.txt', 'gone.ts']);
  });
});
