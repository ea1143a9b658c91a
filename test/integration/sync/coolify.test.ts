// Coolify cannot run git in a container through its API: sync says so instead of failing obscurely.
// The real Coolify driver against the Coolify contract server (test/fixtures/coolify); no sync call reaches it.
import assert from 'node:assert/strict';
import type { ErrorBody, Project, SyncStatus } from '../../../backend/contract';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { envFor } from '../runtime/coolifySupport';
import { startSyncApi, type SyncApi } from './support';

describe('GitHub sync on the coolify runtime', function () {
  this.timeout(30_000);
  let api: SyncApi;
  let coolify: CoolifyContractServer;
  before(async () => {
    coolify = await startCoolifyServer();
    api = await startSyncApi({ HANGAR_RUNTIME: 'coolify', ...envFor(coolify) }, '');
  });
  after(async () => {
    await api?.close();
    await coolify?.close();
  });

  it('reports sync as unavailable with the reason, and refuses the actions with 409 sync_unsupported', async () => {
    assert.equal(api.server.services.driver?.name, 'coolify');
    const project = (await api.http.post<Project>('/api/projects', { name: 'c', repository: { url: 'https://github.com/acme/widgets', branch: 'main' } })).body;
    await api.server.services.projects.applyRuntime(project.id, { status: 'running' });
    const st = (await api.http.get<SyncStatus>(`/api/projects/${project.id}/sync`)).body;
    assert.equal(st.available, false);
    assert.match(st.message ?? '', /GitHub sync is not available on the coolify runtime: Coolify cannot run git inside the container\. Use the local or docker runtime/);
    assert.equal(st.webUrl, 'https://github.com/acme/widgets');
    for (const action of ['fetch', 'push', 'pull', 'import']) {
      const res = await api.http.post<ErrorBody>(`/api/projects/${project.id}/sync/${action}`, {});
      assert.deepEqual([res.status, res.body.error.code], [409, 'sync_unsupported'], action);
    }
  });
});
