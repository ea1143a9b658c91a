import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { BranchName, RepositoryUrl } from '../../../backend/contract';
import { checkBranch, checkRepoUrl } from '../../../backend/sync/repoUrl';
import { gitEnv } from '../../../backend/sync/gitEnv';
import type { ErrorBody, Project, TokenCreated } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { onPostgres } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

/** Each answer is in the one error shape, with the status and code the hostile input deserves. */
function assertError(res: { status: number; body: unknown }, status: number, code?: string, what = ''): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  const body = res.body as ErrorBody;
  assert.equal(typeof body.error.message, 'string', what);
  if (code) assert.equal(body.error.code, code, what);
}

async function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* asserted by the caller */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

describe('API security: hostile input is a 4xx in the one error shape, never a 500', function () {
  this.timeout(30_000);
  let api: TestApi;
  let admin: ReturnType<typeof client>;

  before(async () => {
    api = await startTestApi();
    admin = client(api.url, api.adminToken);
  });
  after(() => api?.close());

  it('needs a token on every case or slash variant of the /api prefix (/API, /Api, //api)', async () => {
    for (const p of ['/API/projects', '/API/container-tiers', '/API/openapi.json', '/Api/projects', '/aPi/me', '//api/projects', '//api/openapi.json', '/API/health/../projects', '/api//projects']) {
      assertError(await raw(api.url + p, 'GET'), 401, 'unauthorized', p);
    }
    // With a token the router is case-sensitive: a variant is simply not a route.
    assertError(await admin.get('/API/projects'), 404, 'not_found', '/API/projects with a token');
    assertError(await raw(api.url + '/API/health', 'GET'), 401, 'unauthorized', 'only the exact public path is public');
  });

  it('answers unknown methods with 501 and wrong known methods with 405, /api/health included', async () => {
    for (const [method, p] of [['PROPFIND', '/api/health'], ['PROPFIND', '/api/projects'], ['MKCOL', '/api/webhooks/opencode'], ['LOCK', '/api/me'], ['PURGE', '/api/projects/x']] as const) {
      assertError(await raw(api.url + p, method), 501, 'method_not_implemented', `${method} ${p}`);
    }
    assertError(await raw(api.url + '/api/health', 'DELETE'), 405, 'method_not_allowed', 'DELETE /api/health');
    assertError(await raw(api.url + '/api/me', 'PUT', { Authorization: `Bearer ${api.adminToken}` }), 405, 'method_not_allowed', 'PUT /api/me');
  });

  it('refuses a Content-Encoding on any body with 415, the unauthenticated webhook route included', async () => {
    for (const enc of ['gzip', 'deflate', 'br', 'x-bogus']) {
      const auth = { Authorization: `Bearer ${api.adminToken}`, 'Content-Type': 'application/json', 'Content-Encoding': enc };
      assertError(await raw(`${api.url}/api/projects`, 'POST', auth, '{"name":"x"}'), 415, 'unsupported_content_encoding', `projects ${enc}`);
      assertError(await raw(`${api.url}/api/webhooks/opencode`, 'POST', { 'Content-Type': 'application/json', 'Content-Encoding': enc }, '{"a":1}'), 415, 'unsupported_content_encoding', `webhook ${enc}`);
    }
    assert.equal((await admin.get('/api/health')).status, 200);
  });

  it('refuses JSON nested 10,000+ deep with 400 body_too_deep, on the agent proxy and elsewhere', async () => {
    const project = (await admin.post<Project>('/api/projects', { name: 'deep' })).body;
    for (const deep of ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)]) {
      const body = `{"parts":${deep}}`;
      for (const p of [`/api/projects/${project.id}/opencode/session/ses_abc/prompt_async`, `/api/projects/${project.id}/opencode/session`, '/api/projects']) {
        assertError(await admin.call('POST', p, body), 400, 'body_too_deep', p);
      }
      assertError(await raw(`${api.url}/api/webhooks/opencode`, 'POST', { 'Content-Type': 'application/json' }, body), 400, 'body_too_deep', 'webhook');
    }
    assert.equal((await admin.get('/api/health')).status, 200);
  });

  it('gives a long name a unique slug every time (no UNIQUE constraint 500 on the third)', async () => {
    const name = 'A very long project name that makes a slug of forty characters or more';
    const slugs: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await admin.post<Project>('/api/projects', { name });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(res.body.slug.length <= 40, res.body.slug);
      slugs.push(res.body.slug);
    }
    assert.equal(new Set(slugs).size, slugs.length, slugs.join(' '));
    assert.deepEqual(slugs.slice(0, 3), ['a-very-long-project-name-that-makes-a-sl', 'a-very-long-project-name-that-makes-a-2', 'a-very-long-project-name-that-makes-a-3']);
  });

  it('refuses control characters in token, project, tier and provider names', async () => {
    for (const bad of ['evil\nline', 'esc\u001b[31mred', 'bell\u0007', 'del\u007f', 'c1\u0085', 'bidi\u202eevil', 'sep\u2028x']) {
      assertError(await admin.post<TokenCreated>('/api/tokens', { name: bad }), 400, 'validation_failed', `token ${JSON.stringify(bad)}`);
      assertError(await admin.post('/api/projects', { name: bad }), 400, 'validation_failed', `project ${JSON.stringify(bad)}`);
    }
    await assert.rejects(api.server.services.users.createToken((await api.server.services.users.userByName('admin')).id, 'cli\nforged'));
    assert.equal((await admin.post('/api/tokens', { name: 'laptop – ünïcode ✓' })).status, 201);
  });

  it('keeps the data dir 0700 and hangar.db with its -wal and -shm 0600, even under a loose umask', async () => {
    const old = process.umask(0o022);
    const dir = path.join(fs.mkdtempSync(path.join(path.dirname(api.dataDir), 'hangar-mode-')), 'data');
    try {
      const other = await startTestApi({}, dir);
      await client(other.url, other.adminToken).post('/api/projects', { name: 'writes the wal' });
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      // On PostgreSQL (HANGAR_TEST_DATABASE=postgres) there is no database file in the data dir.
      const dbFiles = onPostgres() ? [] : ['hangar.db', 'hangar.db-wal', 'hangar.db-shm'];
      for (const f of [...dbFiles, 'secret.key', 'local-token']) {
        assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
      }
      await other.close();
    } finally {
      process.umask(old);
      removeDataDir(path.dirname(dir));
    }
  });

  it('never turns on git\'s curl trace (GIT_CURL_VERBOSE is not set, not even to 0)', () => {
    assert.ok(!('GIT_CURL_VERBOSE' in gitEnv()));
  });

  it('validates repository URLs and branches once, at the boundary, exactly as the import does', async () => {
    const tricky = ['https://github.com/o/r?x=1', 'https://github.com/o/r#frag', 'https://github.com/o/../r', 'https://github.com/o/r with space', 'https://github.com/o/r%00',
      'https://github.com/', 'https://github.com/o/r;rm', 'https://github.com/o/%2e%2e/x', 'https://github.com/o/r.git', 'https://github.com/o/r'];
    const urls = fc.sample(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom(...tricky), fc.string().map((x) => `https://github.com/${x}`)), { numRuns: 2000, seed: 13 });
    let accepted = 0;
    for (const url of [...tricky, ...urls]) {
      if (!RepositoryUrl.safeParse(url).success) continue;
      accepted++;
      assert.doesNotThrow(() => checkRepoUrl(url), url);
    }
    for (const b of fc.sample(fc.oneof(fc.string(), fc.constantFrom('main', '.hidden', 'a.lock', 'a//b', 'a/', 'x@{y', 'feature/x')), { numRuns: 2000, seed: 13 })) {
      if (BranchName.safeParse(b).success) assert.doesNotThrow(() => checkBranch(b), b);
    }
    assert.ok(accepted > 100, `only ${accepted} generated URLs were valid`);
    const res = await admin.post('/api/projects', { name: 'repo', repository: { url: 'https://github.com/o/r?x=1', branch: 'main', sync: { enabled: false, direction: 'both' } } });
    assertError(res, 400, 'validation_failed', 'a query in the repository URL');
  });
});
