import assert from 'node:assert/strict';
import { excludeMatcher } from '../../../../../extension/chat/mentions/excludes';
import { GitignoreMatcher } from '../../../../../extension/chat/mentions/gitignore';
import { parseRemoteUrls, repoKey, sameRepository } from '../../../../../extension/chat/mentions/repoIdentity';

describe('mentions: .gitignore and files.exclude', () => {
  const m = new GitignoreMatcher();
  m.add('', [
    '# build output', 'node_modules/', '/dist', '*.log', '!keep.log', 'build/**/tmp', 'docs/*.pdf', '\\#hash', 'cache?.bin', '*.[oa]', '',
  ].join('\n'));
  m.add('packages/web', 'generated/\n!important.log\n/local.txt\n');

  it('ignores by name at any depth, folders only with a trailing slash, anchored with a slash', () => {
    assert.ok(m.ignores('node_modules/x/index.js'));
    assert.ok(m.ignores('packages/a/node_modules/y.js'));
    assert.ok(m.ignores('dist/out.js'));
    assert.ok(!m.ignores('src/dist/out.js'), '/dist is anchored at the root');
    assert.ok(m.ignores('a/b/debug.log'));
    assert.ok(!m.ignores('a/keep.log'), 'negated');
    assert.ok(m.ignores('build/x/y/tmp/file'));
    assert.ok(m.ignores('docs/a.pdf'));
    assert.ok(!m.ignores('docs/sub/a.pdf'), '* does not cross folders');
    assert.ok(m.ignores('#hash'));
    assert.ok(m.ignores('cache1.bin') && !m.ignores('cache12.bin'));
    assert.ok(m.ignores('lib/x.o') && m.ignores('lib/x.a') && !m.ignores('lib/x.c'));
    assert.ok(!m.ignores('src/app.ts'));
  });

  it('a nested .gitignore applies below its folder, and wins over the root one there', () => {
    assert.ok(m.ignores('packages/web/generated/api.ts'));
    assert.ok(!m.ignores('generated/api.ts'), 'not outside packages/web');
    assert.ok(m.ignores('packages/web/local.txt'));
    assert.ok(!m.ignores('packages/web/src/local.txt'), 'anchored to packages/web');
    assert.ok(!m.ignores('packages/web/important.log'), 're-included by the nested file');
    assert.ok(m.ignores('packages/web/other.log'));
  });

  it('a file inside an ignored folder stays ignored whatever a later ! says', () => {
    const g = new GitignoreMatcher();
    g.add('', 'logs/\n!logs/keep.txt\n');
    assert.ok(g.ignores('logs/keep.txt'));
  });

  it('files.exclude: enabled globs only, with braces, excluding whole folders', () => {
    const ex = excludeMatcher({ '**/.git': true, '**/*.{pyc,pyo}': true, 'out/': false, 'tmp': true, '**/.DS_Store': true });
    assert.ok(ex('.git/config'));
    assert.ok(ex('a/b/x.pyc') && ex('x.pyo'));
    assert.ok(!ex('out/main.js'), 'false entries are off');
    assert.ok(ex('tmp/a.txt') && !ex('src/tmp/a.txt'));
    assert.ok(!ex('src/app.ts'));
  });
});

describe('mentions: same repository', () => {
  it('compares remotes as host/owner/name whatever the URL form', () => {
    assert.equal(repoKey('https://github.com/Acme/Web.git'), 'github.com/Acme/Web');
    assert.equal(repoKey('git@github.com:Acme/Web.git'), 'github.com/Acme/Web');
    assert.equal(repoKey('ssh://git@GitHub.com:22/Acme/Web'), 'github.com/Acme/Web');
    assert.equal(repoKey('https://user@gitlab.example.com/group/sub/repo/'), 'gitlab.example.com/group/sub/repo');
    assert.equal(repoKey('file:///srv/repo.git'), undefined);
    assert.ok(sameRepository('https://github.com/acme/web', ['git@github.com:Acme/Web.git']));
    assert.ok(!sameRepository('https://github.com/acme/web', ['https://github.com/acme/api.git']));
    assert.ok(!sameRepository(null, ['https://github.com/acme/web.git']));
    assert.ok(!sameRepository('https://github.com/acme/web', []));
  });

  it('reads git config --get-regexp output', () => {
    assert.deepEqual(parseRemoteUrls('remote.origin.url https://github.com/a/b.git\nremote.fork.url git@github.com:me/b.git\n'), [
      'https://github.com/a/b.git', 'git@github.com:me/b.git',
    ]);
    assert.deepEqual(parseRemoteUrls(''), []);
  });
});
