import assert from 'node:assert/strict';
import { ApiClient } from '../../../../extension/core/apiClient';
import { anOperation, json, startServer, type TestServer } from '../builders';
import { aSyncStatus } from './builders';

describe('ApiClient: sync and GitHub credential', () => {
  let server: TestServer;
  const seen: Array<{ method: string; url: string; body: string }> = [];
  let api: ApiClient;

  before(async () => {
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body });
        const key = `${req.method} ${req.url}`;
        if (key === 'GET /api/projects/p1/sync') return json(res, 200, aSyncStatus({ ahead: 2 }));
        if (/^POST \/api\/projects\/p1\/sync\/(fetch|push|pull)$/.test(key)) {
          return json(res, 202, { operation: anOperation({ kind: key.split('/').at(-1) as 'push' }) });
        }
        if (key === 'PUT /api/github/credential') return json(res, 200, { configured: true, hint: 'ghp_…cdef', host: 'github.com', login: null, createdAt: null });
        if (key === 'DELETE /api/github/credential') { res.writeHead(204); return res.end(); }
        if (key === 'POST /api/projects/p1/stop') {
          return json(res, 409, { error: { code: 'unsynced_changes', message: 'has work', details: { commitsAhead: [], dirty: ['a.ts'] } } });
        }
        if (key === 'POST /api/projects/p1/stop?ignoreUnsynced=true') return json(res, 202, anOperation({ kind: 'stop' }));
        if (key === 'DELETE /api/projects/p1?ignoreUnsynced=true') { res.writeHead(204); return res.end(); }
        json(res, 404, { error: { code: 'not_found', message: key } });
      });
    });
    api = new ApiClient({ baseUrl: server.url, token: 't', fetch: (u, i) => globalThis.fetch(u, i) });
  });
  after(() => server.close());

  it('reads the sync status with the contract schema', async () => {
    assert.equal((await api.syncStatus('p1')).ahead, 2);
  });

  it('starts fetch, push (with force) and pull and returns their operations', async () => {
    assert.equal((await api.syncFetch('p1')).kind, 'fetch');
    assert.equal((await api.syncPush('p1', true)).kind, 'push');
    assert.equal((await api.syncPull('p1', { mode: 'rebase', dirty: 'stash', onConflict: 'keep' })).kind, 'pull');
    const bodies = seen.filter((s) => s.url.includes('/sync/')).map((s) => JSON.parse(s.body));
    assert.deepEqual(bodies, [{}, { force: true }, { mode: 'rebase', dirty: 'stash', onConflict: 'keep' }]);
  });

  it('puts the GitHub token in the body only, and gets metadata back', async () => {
    const info = await api.setGithubCredential('ghp_0123456789abcdef');
    assert.equal(info.hint, 'ghp_…cdef');
    const put = seen.find((s) => s.method === 'PUT')!;
    assert.equal(put.url, '/api/github/credential');
    assert.deepEqual(JSON.parse(put.body), { token: 'ghp_0123456789abcdef' });
    await api.deleteGithubCredential();
  });

  it('surfaces the unsynced_changes guard and passes ignoreUnsynced when asked', async () => {
    await assert.rejects(api.stopProject('p1'), (e: { status: number; code: string; details: unknown }) =>
      e.status === 409 && e.code === 'unsynced_changes' && JSON.stringify(e.details) === JSON.stringify({ commitsAhead: [], dirty: ['a.ts'] }));
    assert.equal((await api.stopProject('p1', { ignoreUnsynced: true })).kind, 'stop');
    await api.deleteProject('p1', { ignoreUnsynced: true });
  });
});
