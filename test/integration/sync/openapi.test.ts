// The sync routes and the unsynced-changes escape hatch are documented in /api/openapi.json.
import assert from 'node:assert/strict';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

type Doc = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; tags?: string[] }>> };

describe('GitHub sync in the OpenAPI document', () => {
  let api: TestApi;
  before(async () => { api = await startTestApi({ HANGAR_RUNTIME: 'local' }); });
  after(async () => { await api.close(); removeDataDir(api.dataDir); });

  it('lists the sync and GitHub credential routes and the ignoreUnsynced flag of stop, delete and PATCH', async () => {
    const doc = (await client(api.url, api.adminToken).get<Doc>('/api/openapi.json')).body;
    const ops = (p: string) => Object.keys(doc.paths[p] ?? {}).sort();
    assert.deepEqual(ops('/api/projects/{id}/sync'), ['get']);
    for (const a of ['fetch', 'push', 'pull', 'import']) assert.deepEqual(ops(`/api/projects/{id}/sync/${a}`), ['post'], a);
    assert.deepEqual(ops('/api/projects/{id}/sync/settings'), ['put']);
    assert.deepEqual(ops('/api/projects/{id}/sync/conflict'), ['get', 'put']);
    assert.ok((doc.paths['/api/github/credential']?.get?.parameters ?? []).some((x) => x.name === 'host' && x.in === 'query'), 'tokens per host');
    assert.deepEqual(ops('/api/github/credential'), ['delete', 'get', 'put']);
    const flag = (p: string, m: string) => (doc.paths[p]?.[m]?.parameters ?? []).some((x) => x.name === 'ignoreUnsynced' && x.in === 'query');
    assert.ok(flag('/api/projects/{id}/stop', 'post'));
    assert.ok(flag('/api/projects/{id}', 'delete'));
    assert.ok(flag('/api/projects/{id}', 'patch'));
  });
});
