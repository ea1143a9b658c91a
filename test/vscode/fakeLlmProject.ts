// A project deployed on the test API whose agent talks to a fresh fake LLM (its workspace's opencode.json
// points opencode at it): the start of the suites that need a running agent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../fixtures/fakeLlm/server';
import { api, env, uniqueName, waitFor } from './helpers';

export interface ProjectLike { id: string; name: string; slug: string; status: string }

export async function deployFakeLlmProject(prefix: string): Promise<{ project: ProjectLike; llm: FakeLlm }> {
  const llm = await startFakeLlm();
  const created = await api('POST', '/api/projects', { name: uniqueName(prefix) });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const project = created.json as ProjectLike;
  const workspace = path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', project.id, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } } };
  config.provider.fake.options.apiKey = 'fake-key';
  fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify(config, null, 2));
  assert.equal((await api('POST', `/api/projects/${project.id}/deploy`, { force: false })).status, 202);
  const running = await waitFor('the project to run', async () => (await api('GET', `/api/projects/${project.id}`)).json as ProjectLike,
    (p) => p.status === 'running' || p.status === 'failed', 90_000);
  assert.equal(running.status, 'running', JSON.stringify(running));
  return { project, llm };
}
