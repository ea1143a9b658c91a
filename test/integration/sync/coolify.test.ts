// On the coolify runtime git runs through the agent's own opencode server (its PTY API, see
// backend/runtime/agentExec.ts and test/integration/runtime/agentExec.test.ts), because Coolify's API
// cannot exec. Here: the real Coolify driver against the Coolify contract server
// (test/fixtures/coolify). The contract server runs no containers, so no agent answers: this checks
// that sync is no longer refused on Coolify and that it goes to the project's agent, and says why it
// cannot reach it. (The fake cannot point an application at a local opencode: a Coolify fqdn's port
// names the container port, so agent URLs never carry one.)
import assert from 'node:assert/strict';
import type { Project, SyncStatus } from '../../../backend/contract';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { envFor } from '../runtime/coolifySupport';
import { startSyncApi, syncAction, type SyncApi } from './support';

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

  it('accepts the sync actions and runs them through the project\'s agent, saying when it cannot be reached', async () => {
    assert.equal(api.server.services.driver?.name, 'coolify');
    const project = (await api.http.post<Project>('/api/projects', { name: 'c', repository: { url: 'https://github.com/acme/widgets', branch: 'main' } })).body;
    await api.server.services.projects.applyRuntime(project.id, { status: 'running' });
    const st = (await api.http.get<SyncStatus>(`/api/projects/${project.id}/sync`)).body;
    assert.equal(st.available, false);
    assert.equal(st.webUrl, 'https://github.com/acme/widgets');
    // Never imported (the first deploy's import could not reach it): said as such, not "↑0 ↓0".
    assert.equal(st.importState, 'missing');
    assert.match(st.message ?? '', /has not been imported into the workspace yet: Retry Import/);
    assert.doesNotMatch(st.message ?? '', /not available on the coolify runtime/);
    const fetch = await api.http.post<{ error: { code: string } }>(`/api/projects/${project.id}/sync/fetch`, {});
    assert.equal(fetch.status, 409);
    assert.equal(fetch.body.error.code, 'not_imported');
    for (const action of ['import'] as const) {
      const { op, result } = await syncAction(api, project.id, action);
      assert.equal(op.state, 'failed', action);
      assert.match(JSON.stringify(result) + (op.error ?? ''), /not running on Coolify/, action);
    }
  });
});
