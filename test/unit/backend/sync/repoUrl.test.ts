import assert from 'node:assert/strict';
import { checkBranch, checkRepoUrl } from '../../../../backend/sync/repoUrl';

describe('sync: repository URL and branch checks before git sees them', () => {
  it('accepts https URLs and derives the host and web page', () => {
    assert.deepEqual(checkRepoUrl('https://github.com/acme/widgets.git'), {
      url: 'https://github.com/acme/widgets.git', host: 'github.com', webUrl: 'https://github.com/acme/widgets',
    });
    assert.deepEqual(checkRepoUrl(' https://ghe.example.com:8443/acme/widgets/ '), {
      url: 'https://ghe.example.com:8443/acme/widgets', host: 'ghe.example.com:8443', webUrl: 'https://ghe.example.com:8443/acme/widgets',
    });
  });

  for (const [url, why] of [
    ['-uhack', /looks like a command-line option/],
    ['--upload-pack=touch /tmp/x', /looks like a command-line option/],
    ['ext::sh -c touch% /tmp/pwned', /transport helpers/],
    ['file:///etc', /only https is allowed, not file/],
    ['http://github.com/a/b', /only https is allowed, not http/],
    ['ssh://git@github.com/a/b', /only https is allowed, not ssh/],
    ['https://user:pw@github.com/x', /contains credentials; set the token with "Hangar: Set GitHub Token"/],
    ['https://ghp_secret@github.com/x', /contains credentials/],
    ['https://github.com/a/b --upload-pack=x', /spaces or control characters/],
    ['https://github.com/a/b?x=1', /query or fragment/],
    ['https://github.com/', /not a repository path/],
    ['https://github.com/a/b;x', /not a repository path/],
  ] as const) {
    it(`refuses ${url}`, () => {
      assert.throws(() => checkRepoUrl(url), (err: Error) => {
        assert.match(err.message, why);
        assert.match(err.message, /Use an https:\/\/ URL like https:\/\/github\.com\/owner\/repo\.$/);
        return true;
      });
    });
  }

  it('accepts branch names and refuses option-like or invalid ones', () => {
    assert.equal(checkBranch('feature/x-1.2'), 'feature/x-1.2');
    for (const b of ['-f', '--exec=x', 'a..b', '.hidden', 'x.lock', 'a//b', 'a@{1}', 'with space', 'trailing/']) {
      assert.throws(() => checkBranch(b), /not a valid git branch name/, b);
    }
  });
});
