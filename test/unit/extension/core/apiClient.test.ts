import assert from 'node:assert/strict';
import { ApiClient, type RequestFailure } from '../../../../extension/core/apiClient';
import { ApiError, operationInProgress } from '../../../../extension/core/apiError';
import { anOperation, aProject, json, startServer, type TestServer } from '../builders';

describe('ApiClient', () => {
  let server: TestServer;
  let failures: RequestFailure[];
  const client = (token: string | undefined = 'tok-123456789') =>
    new ApiClient({ baseUrl: `${server.url}/`, token, fetch, timeoutMs: 500, onFailure: (f) => failures.push(f) });

  beforeEach(async () => {
    failures = [];
    server = await startServer((req, res) => {
      if (req.headers.authorization !== 'Bearer tok-123456789') return json(res, 401, { error: { code: 'unauthorised', message: 'missing or invalid token' } });
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'GET' && url.pathname === '/api/projects') {
        // Two pages (a cursor to the second) and an ETag: a paged server as GET /api/projects is.
        if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304, { ETag: '"v1"' }); return res.end(); }
        res.setHeader('ETag', '"v1"');
        return url.searchParams.get('cursor') === 'page2'
          ? json(res, 200, { items: [aProject({ id: 'p2', name: 'older' })], nextCursor: null })
          : json(res, 200, { items: [aProject()], nextCursor: 'page2' });
      }
      switch (`${req.method} ${req.url}`) {
        case 'POST /api/projects': return json(res, 409, { error: { code: 'conflict', message: 'a project named "alpha" exists', details: { field: 'name' } } });
        case 'DELETE /api/projects/p%2F1': res.writeHead(204); return res.end();
        case 'GET /api/me': return json(res, 200, { id: 'u1', username: 'ada' }); // role, tokenName missing
        case 'GET /api/container-tiers': res.writeHead(502, { 'Content-Type': 'text/html' }); return res.end('<html>bad gateway</html>');
        case 'GET /api/health': return; // never answers
        case 'POST /api/projects/p1/deploy': return json(res, 202, anOperation({ force: true }));
        case 'POST /api/projects/p1/stop': return json(res, 409, { error: { code: 'operation_in_progress', message: 'a deploy is running', details: { operationId: 'op1', kind: 'deploy' } } });
        case 'POST /api/projects/p1/operations/op1/cancel': return json(res, 200, anOperation({ state: 'cancelled' }));
        case 'GET /api/projects/p1/operations': return json(res, 200, { items: [anOperation({ state: 'succeeded' })] });
        case 'GET /api/projects/p1/logs?tail=50': return json(res, 200, { lines: ['a', 'b'], truncated: true });
        case 'DELETE /api/projects/p1?deleteVolumes=true&confirm=my-slug': res.writeHead(204); return res.end();
        default: return json(res, 404, { error: { code: 'not_found', message: 'no such route' } });
      }
    });
  });
  afterEach(() => server.close());

  it('parses a good response with the contract and sends the bearer token; projects() follows every page', async () => {
    const projects = await client().projects();
    assert.deepEqual(projects, [aProject(), aProject({ id: 'p2', name: 'older' })]);
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer tok-123456789');
    assert.deepEqual(server.requests.map((r) => r.url), ['/api/projects?limit=500', '/api/projects?limit=500&cursor=page2']);
  });

  it('pages projects with the ETag: 200 carries it, If-None-Match that matches is "unchanged"', async () => {
    const first = await client().projectsPage({ limit: 100 });
    assert.ok(!('unchanged' in first));
    assert.deepEqual([first.items.length, first.nextCursor, first.etag], [1, 'page2', '"v1"']);
    assert.deepEqual(await client().projectsPage({ limit: 100, etag: '"v1"' }), { unchanged: true });
    assert.equal(server.requests[1]?.headers['if-none-match'], '"v1"');
    const stale = await client().projectsPage({ etag: '"v0"', cursor: 'page2' });
    assert.ok(!('unchanged' in stale));
    assert.deepEqual(stale.items.map((p) => p.name), ['older']);
    assert.equal(server.requests[2]?.url, '/api/projects?cursor=page2');
  });

  it('turns an error body into ApiError {status, code, message, details} and reports it', async () => {
    const err = await client().createProject({ name: 'alpha' }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.deepEqual([err.status, err.code, err.message, err.details], [409, 'conflict', 'a project named "alpha" exists', { field: 'name' }]);
    assert.deepEqual(failures, [{ method: 'POST', path: '/api/projects', status: 409, code: 'conflict', message: 'a project named "alpha" exists' }]);
  });

  it('maps 401 to an unauthorised ApiError', async () => {
    const err = await client('wrong-token-000').me().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.isUnauthorised, true);
    assert.equal(err.code, 'unauthorised');
  });

  it('rejects a 2xx body that does not match the contract', async () => {
    const err = await client().me().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'invalid_response');
    assert.match(err.message, /role/);
  });

  it('gives a non-JSON error page a generic code', async () => {
    const err = await client().tiers().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.deepEqual([err.status, err.code], [502, 'http_502']);
  });

  it('accepts 204 and encodes ids in paths', async () => {
    assert.equal(await client().deleteProject('p/1'), undefined);
  });

  it('times out a request that gets no answer', async () => {
    const err = await client().health().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.deepEqual([err.status, err.code, err.isNetwork], [0, 'timeout', true]);
  });

  it('reports an unreachable server as a network error with the cause', async () => {
    await server.close();
    const err = await client().projects().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'network_error');
    assert.match(err.message, /ECONNREFUSED/);
    assert.equal(failures[0]?.status, 0);
  });

  it('speaks the container lifecycle: 202 operations, 409 naming the running one, cancel, history, logs, delete with volumes', async () => {
    const op = await client().deploy('p1', true);
    assert.deepEqual([op.id, op.force], ['op1', true]);
    const busy = await client().stopProject('p1').catch((e: unknown) => e);
    assert.deepEqual(operationInProgress(busy), { operationId: 'op1', kind: 'deploy' });
    assert.equal((await client().cancelOperation('p1', 'op1')).state, 'cancelled');
    assert.deepEqual((await client().operations('p1')).map((o) => o.state), ['succeeded']);
    assert.deepEqual(await client().logs('p1', 50), { lines: ['a', 'b'], truncated: true });
    assert.equal(await client().deleteProject('p1', { deleteVolumes: { slug: 'my-slug' } }), undefined);
    assert.equal(operationInProgress(new ApiError(409, 'conflict', 'x', { method: 'POST', path: '/' })), undefined);
  });
});
