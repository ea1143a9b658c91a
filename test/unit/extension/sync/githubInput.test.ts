import assert from 'node:assert/strict';
import { branchProblem, hostChoices, hostProblem, repositoryHost, repositoryUrlProblem, tokenProblem } from '../../../../extension/sync/githubInput';

describe('GitHub input validation', () => {
  it('accepts an https repository URL and refuses what the API refuses', () => {
    assert.equal(repositoryUrlProblem('https://github.com/owner/repo'), undefined);
    for (const bad of ['http://github.com/o/r', 'file:///tmp/r', 'ext::sh -c touch% /tmp/pwned', '--upload-pack=evil', 'https://user:pw@github.com/o/r', 'git@github.com:o/r.git']) {
      assert.match(repositoryUrlProblem(bad) ?? '', /https:\/\/ repository URL without credentials/, bad);
    }
  });

  it('offers github.com, your projects\' hosts and the hosts with a token when setting a token', () => {
    assert.deepEqual(hostChoices(['https://GHE.example.com/o/r', undefined, 'https://github.com/o/r', 'not a url'], ['git.example.com:8443']),
      ['github.com', 'ghe.example.com', 'git.example.com:8443']);
    assert.equal(repositoryHost('https://git.example.com:8443/o/r.git'), 'git.example.com:8443');
    assert.equal(hostProblem('git.example.com:8443'), undefined);
    assert.ok(hostProblem('https://github.com'));
  });

  it('validates branch names like the API', () => {
    assert.equal(branchProblem('feature/x-1'), undefined);
    assert.ok(branchProblem('-x'));
    assert.ok(branchProblem('a..b'));
  });

  it('validates tokens: length and no spaces', () => {
    assert.equal(tokenProblem('ghp_0123456789abcdef'), undefined);
    assert.ok(tokenProblem('short'));
    assert.equal(tokenProblem('ghp_0123 456789abcdef'), 'a token has no spaces');
  });
});
