import assert from 'node:assert/strict';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from './apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

/** An API on the local runtime with one project deployed: the real opencode, talking to the fake LLM. */
export interface LocalAgent {
  fake: FakeLlm;
  api: TestApi;
  alice: ReturnType<typeof client>;
  project: Project;
  /** The operation once it is no longer queued or running. */
  settled(operationId: string): Promise<Operation>;
  close(): Promise<void>;
}

/** The fake LLM as the user's custom provider `fakellm` (its first model the default), then a project deployed. */
export async function startLocalAgent(name: string, models = ['fake-model']): Promise<LocalAgent> {
  const fake = await startFakeLlm();
  const api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
  const alice = client(api.url, api.adminToken);
  assert.equal((await alice.post('/api/custom-providers', {
    id: 'fakellm', name: 'Fake LLM', baseURL: fake.baseUrl, apiKey: `fk-${name}-${SECRET_MARKER}`,
    models: models.map((id) => ({ id, context: 128000, output: 4096 })),
  })).status, 201);
  assert.equal((await alice.call('PUT', '/api/me/default-model', { providerId: 'fakellm', modelId: models[0] })).status, 200);
  const project = (await alice.post<Project>('/api/projects', { name })).body;
  const settled = async (operationId: string): Promise<Operation> => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const list = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body;
      const op = list.items.find((o) => o.id === operationId);
      if (op && op.state !== 'queued' && op.state !== 'running') return op;
      if (Date.now() > deadline) throw new Error(`operation ${operationId} did not settle`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const deploy = await settled((await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body.id);
  if (deploy.state !== 'succeeded') throw new Error(`deploy ${deploy.state}: ${deploy.error}`);
  return {
    fake, api, alice, project, settled,
    async close() {
      await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
      await api.close();
      for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
      removeDataDir(api.dataDir);
      await fake.close();
    },
  };
}
