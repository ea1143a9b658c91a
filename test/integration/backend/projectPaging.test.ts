import assert from 'node:assert/strict';
import type { ErrorBody, Project, ProjectList } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';

/** GET /api/projects a page at a time (keyset cursor, newest first) with an ETag that 304s an unchanged list. */
describe('API: project list paging and ETag', () => {
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let bob: ReturnType<typeof client>;
  const created: Project[] = [];

  before(async () => {
    api = await startTestApi({});
    alice = client(api.url, api.adminToken);
    const { id } = await api.server.services.users.createUser('bob', 'user');
    bob = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
    // Created quickly: several share a created_at millisecond, so the order must not rest on time alone.
    for (let i = 0; i < 23; i++) created.push((await alice.post<Project>('/api/projects', { name: `paged ${i}` })).body);
    await bob.post('/api/projects', { name: 'not yours' });
  });
  after(() => api.close());

  async function allPages(limit: number): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: ProjectList } = await alice.get<ProjectList>(`/api/projects?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= limit);
      names.push(...res.body.items.map((p) => p.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    return { names, pages };
  }

  it('walks every project once, newest first, in pages of ?limit', async () => {
    const newestFirst = created.map((p) => p.name).reverse();
    const { names, pages } = await allPages(5);
    assert.deepEqual(names, newestFirst);
    assert.equal(pages, 5);
    const first = (await alice.get<ProjectList>('/api/projects')).body;
    assert.equal(first.items.length, 23, 'the default page (100) holds them all');
    assert.equal(first.nextCursor, null);
  });

  it('keeps its place when projects are created and deleted between pages', async () => {
    const page1 = (await alice.get<ProjectList>('/api/projects?limit=10')).body;
    const fresh = (await alice.post<Project>('/api/projects', { name: 'newer than the walk' })).body;
    const doomed = page1.items[3]!;
    assert.equal((await alice.del(`/api/projects/${doomed.id}`)).status, 204);
    const page2 = (await alice.get<ProjectList>(`/api/projects?limit=10&cursor=${page1.nextCursor}`)).body;
    assert.deepEqual(page2.items.map((p) => p.name), created.map((p) => p.name).reverse().slice(10, 20));
    assert.ok(!page2.items.some((p) => p.id === fresh.id));
    await alice.del(`/api/projects/${fresh.id}`);
    created.splice(created.findIndex((p) => p.id === doomed.id), 1);
  });

  it('answers 304 without a body while the list is unchanged, and 200 with a new ETag after any change', async () => {
    const first = await alice.get<ProjectList>('/api/projects?limit=5');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^".+"$/);
    const again = await alice.call('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    assert.equal(again.headers.get('etag'), etag);
    // Another page of the same list has its own tag.
    const other = await alice.call('GET', '/api/projects?limit=6', undefined, { 'If-None-Match': etag });
    assert.equal(other.status, 200);

    // A change to a project on a later page (a status change by the runtime, not a route) renews the tag.
    const oldest = created[0]!;
    await api.server.services.projects.applyRuntime(oldest.id, { status: 'crashed', reason: 'gone' });
    const afterStatus = await alice.call<ProjectList>('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': etag });
    assert.equal(afterStatus.status, 200);
    const etag2 = afterStatus.headers.get('etag')!;
    assert.notEqual(etag2, etag);

    const renamed = await alice.patch<Project>(`/api/projects/${created[1]!.id}`, { name: 'renamed' });
    assert.equal(renamed.status, 200);
    const afterRename = await alice.call('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': `W/"x", ${etag2}` });
    assert.equal(afterRename.status, 200);
    const etag3 = afterRename.headers.get('etag')!;
    assert.equal((await alice.call('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': `W/"x", ${etag3}` })).status, 304);

    // Another user's changes leave Alice's tag alone.
    await bob.post('/api/projects', { name: 'also not yours' });
    assert.equal((await alice.call('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': etag3 })).status, 304);
    const gone = await alice.del(`/api/projects/${created[2]!.id}`);
    assert.equal(gone.status, 204);
    assert.equal((await alice.call('GET', '/api/projects?limit=5', undefined, { 'If-None-Match': etag3 })).status, 200);
  });

  it('answers a repeated unchanged page with the same body, and a change written by another replica at once', async () => {
    const first = (await alice.get<ProjectList>('/api/projects?limit=4')).body;
    assert.deepEqual((await alice.get<ProjectList>('/api/projects?limit=4')).body, first);
    // Another replica renames the newest project: only the database (and its list-tag trigger) sees it.
    const newest = first.items[0]!;
    await api.server.services.db.updateTable('projects').set({ name: 'renamed elsewhere' }).where('id', '=', newest.id).execute();
    const after = (await alice.get<ProjectList>('/api/projects?limit=4')).body;
    assert.equal(after.items[0]!.name, 'renamed elsewhere');
    assert.deepEqual(after.items.slice(1), first.items.slice(1));
  });

  it('refuses bad paging input with the one error shape', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=abc', 'cursor=', `cursor=${'x'.repeat(201)}`]) {
      const res = await alice.get<ErrorBody>(`/api/projects?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error.code, 'validation_failed', q);
    }
    for (const cursor of ['not-a-cursor', Buffer.from('{"a":1,"s":"x"}').toString('base64url')]) {
      const res = await alice.get<ErrorBody>(`/api/projects?cursor=${cursor}`);
      assert.equal(res.status, 400, cursor);
      assert.equal(res.body.error.code, 'invalid_cursor');
    }
  });

  it('documents the paging and the 304 in the OpenAPI document', async () => {
    const doc = (await alice.get<{ paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, unknown> } }> }>('/api/openapi.json')).body;
    const op = doc.paths['/api/projects']!.get;
    assert.deepEqual(op.parameters.map((p) => p.name).sort(), ['If-None-Match', 'cursor', 'limit']);
    assert.ok(op.responses['304']);
  });
});
