import assert from 'node:assert/strict';
import { gitEnv, scrub } from '../../../../backend/sync/gitEnv';
import { classifyGitFailure, gitTail, networkFailure } from '../../../../backend/sync/gitErrors';

describe('sync: the credential travels per command in the environment', () => {
  it('scopes the Authorization header to the repository origin and disables stored helpers and prompts', () => {
    const env = gitEnv({ origin: 'https://github.com', token: 'ghp_abcdefghijklmnop', caFile: '/tmp/ca.pem' });
    const basic = Buffer.from('x-access-token:ghp_abcdefghijklmnop').toString('base64');
    assert.equal(env.GIT_CONFIG_COUNT, '6');
    const pairs = [0, 1, 2, 3, 4, 5].map((i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]);
    assert.deepEqual(pairs, [
      ['credential.helper', ''], ['core.askPass', ''], ['core.hooksPath', '/dev/null'], ['core.fsmonitor', 'false'],
      ['http.https://github.com/.extraHeader', `Authorization: Basic ${basic}`], ['http.sslCAInfo', '/tmp/ca.pem'],
    ]);
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
    assert.equal(env.GIT_SSL_CAINFO, '/tmp/ca.pem');
    assert.equal(env.GIT_TRACE_CURL, '0');
  });

  it('sends no header without a token, and sets an identity only when asked', () => {
    const env = gitEnv(undefined, { name: 'Hangar', email: 'hangar@localhost' });
    assert.equal(env.GIT_CONFIG_COUNT, '4');
    assert.ok(!Object.values(env).some((v) => v.startsWith('Authorization')));
    assert.deepEqual([env.GIT_AUTHOR_NAME, env.GIT_COMMITTER_EMAIL], ['Hangar', 'hangar@localhost']);
  });

  it('scrubs the token and its Basic form from text', () => {
    const basic = Buffer.from('x-access-token:tok123456789').toString('base64');
    assert.equal(scrub(`a tok123456789 b ${basic} c`, 'tok123456789'), 'a *** b *** c');
    assert.equal(scrub('nothing', undefined), 'nothing');
  });

  it('turns git\'s failures into messages that say what to do', () => {
    assert.equal(classifyGitFailure("fatal: could not read Username for 'https://github.com': terminal prompts disabled"), 'auth');
    assert.equal(classifyGitFailure(' ! [rejected]        main -> main (stale info)'), 'stale_lease');
    assert.equal(classifyGitFailure("fatal: unable to access 'https://x/': Could not resolve host: x"), 'network');
    assert.equal(classifyGitFailure('fatal: unable to access: server certificate verification failed.'), 'tls');
    assert.equal(classifyGitFailure("remote: Repository not found.\nfatal: repository 'https://github.com/a/b/' not found"), 'not_found');
    const auth = networkFailure('auth', 'github.com', 'fatal: Authentication failed', true);
    assert.match(auth.message, /^github\.com refused the token: .* set a new one with Hangar: Set GitHub Token\.$/);
    // No token sent is not "refused the token".
    assert.equal(networkFailure('auth', 'git.example.com', '', false).message,
      'No token was sent: git.example.com asked for credentials and you have no token for git.example.com. Set one for git.example.com with Hangar: Set GitHub Token (scope "repo"), then Retry Import.');
  });

  it('keeps curl trace lines out of a TLS failure\'s message', () => {
    const stderr = [
      '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
      '12:00:00.123456 http.c:845 == Info: SSL certificate problem',
      '> GET /o/r.git/info/refs HTTP/1.1',
      '< HTTP/1.1 200',
      'fatal: unable to access \'https://git.example.com/o/r.git/\': SSL certificate problem: unable to get local issuer certificate',
    ].join('\n');
    assert.equal(gitTail(stderr), 'fatal: unable to access \'https://git.example.com/o/r.git/\': SSL certificate problem: unable to get local issuer certificate');
    assert.match(networkFailure('tls', 'git.example.com', stderr, true).message, /^The TLS certificate of git\.example\.com is not trusted \(fatal: unable to access/);
  });
});
