import assert from 'node:assert/strict';
import type { ErrorBody, Project, ProjectList } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';

describe('API: projects', () => {
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;

  before(async () => {
    api = await startTestApi({ HANGAR_BODY_LIMIT: '16kb' });
    alice = client(api.url, api.adminToken);
    const { id } = await api.server.services.users.createUser('mallory', 'user');
    mallory = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
  });
  after(() => api.close());

  it('creates a project in the default tier with a derived slug and no deployment yet', async () => {
    const res = await alice.post<Project>('/api/projects', { name: 'My App!' });
    assert.equal(res.status, 201);
    const p = res.body;
    assert.deepEqual(
      [p.name, p.slug, p.tierId, p.status, p.providerOverride, p.repository, p.runtime, p.urls],
      ['My App!', 'my-app', 'standard', 'not_deployed', null, null, 'local', { agent: null, vnc: null }],
    );
  });

  it('keeps slugs unique per owner', async () => {
    const second = await alice.post<Project>('/api/projects', { name: 'my app' });
    assert.equal(second.body.slug, 'my-app-2');
    const othersSame = await mallory.post<Project>('/api/projects', { name: 'My App' });
    assert.equal(othersSame.body.slug, 'my-app', 'slugs are per owner');
  });

  it('stores a repository with sync options and a provider override', async () => {
    const res = await alice.post<Project>('/api/projects', {
      name: 'repo', tierId: 'desktop', providerOverride: 'openai',
      repository: { url: 'https://github.com/octo/hello.git', branch: 'dev', sync: { enabled: true, direction: 'push' } },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.repository, { url: 'https://github.com/octo/hello.git', branch: 'dev', sync: { enabled: true, direction: 'push' } });
    assert.equal(res.body.providerOverride, 'openai');
    assert.equal(res.body.tierId, 'desktop');
  });

  it('refuses dangerous repository URLs with a field error', async () => {
    for (const url of ['ext::sh -c id', 'file:///etc/passwd', '-uhttps://x', 'https://tok@github.com/o/r']) {
      const res = await alice.post<ErrorBody>('/api/projects', { name: 'x', repository: { url } });
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.match(res.body.error.message, /repository\.url/);
    }
  });

  it('lists only your own projects, newest first', async () => {
    const mine = (await alice.get<ProjectList>('/api/projects')).body.items.map((p) => p.name);
    assert.deepEqual(mine, ['repo', 'my app', 'My App!']);
    const theirs = (await mallory.get<ProjectList>('/api/projects')).body.items.map((p) => p.name);
    assert.deepEqual(theirs, ['My App']);
  });

  it("answers 404 for another user's project on every route", async () => {
    const target = (await alice.get<ProjectList>('/api/projects')).body.items[0]!;
    for (const res of [
      await mallory.get<ErrorBody>(`/api/projects/${target.id}`),
      await mallory.patch<ErrorBody>(`/api/projects/${target.id}`, { name: 'stolen' }),
      await mallory.del<ErrorBody>(`/api/projects/${target.id}`),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.equal((await alice.get<Project>(`/api/projects/${target.id}`)).body.name, target.name, 'untouched');
  });

  it('updates name, tier and provider; refuses an unknown tier', async () => {
    const p = (await alice.post<Project>('/api/projects', { name: 'mutable' })).body;
    const res = await alice.patch<Project>(`/api/projects/${p.id}`, { name: 'renamed', tierId: 'pro', providerOverride: null });
    assert.deepEqual([res.body.name, res.body.tierId, res.body.slug], ['renamed', 'pro', 'mutable']);
    const bad = await alice.patch<ErrorBody>(`/api/projects/${p.id}`, { tierId: 'nonexistent' });
    assert.equal(bad.status, 409);
    assert.equal(bad.body.error.code, 'unknown_tier');
  });

  it('deletes a project', async () => {
    const p = (await alice.post<Project>('/api/projects', { name: 'doomed' })).body;
    assert.equal((await alice.del(`/api/projects/${p.id}`)).status, 204);
    assert.equal((await alice.get(`/api/projects/${p.id}`)).status, 404);
  });

  it('rejects unknown fields, bad ids, malformed JSON and oversized bodies with the one error shape', async () => {
    const extra = await alice.post<ErrorBody>('/api/projects', { name: 'x', owner_id: 'someone' });
    assert.equal(extra.status, 400);
    assert.equal(extra.body.error.code, 'validation_failed');
    const badId = await alice.get<ErrorBody>('/api/projects/not-a-uuid');
    assert.equal(badId.status, 400);
    const malformed = await alice.call<ErrorBody>('POST', '/api/projects', '{"name":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'invalid_body');
    const huge = await alice.post<ErrorBody>('/api/projects', { name: 'x'.repeat(20_000) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'payload_too_large');
    const nowhere = await alice.get<ErrorBody>('/api/nowhere');
    assert.equal(nowhere.status, 404);
    assert.match(nowhere.body.error.message, /GET \/api\/nowhere/);
  });
});
