import assert from 'node:assert/strict';
import { RepositoryUrl, BranchName } from '../../../backend/contract';

describe('contract: repository validation', () => {
  it('accepts a plain https GitHub URL', () => {
    assert.equal(RepositoryUrl.safeParse('https://github.com/owner/repo.git').success, true);
  });
  for (const bad of ['http://github.com/o/r', 'ext::sh -c touch% /tmp/pwned', 'file:///etc', '--upload-pack=x', 'https://user:pw@github.com/o/r']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.equal(RepositoryUrl.safeParse(bad).success, false);
    });
  }
  it('refuses option-like branch names', () => {
    assert.equal(BranchName.safeParse('--force').success, false);
    assert.equal(BranchName.safeParse('feature/x').success, true);
  });
});
