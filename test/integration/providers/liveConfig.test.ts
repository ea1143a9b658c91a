import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { REDEPLOY_NOTE } from '../../../backend/providers/liveUpdate';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const KEY = 'fk-' + Math.random().toString(36).slice(2) + 'L1VE';

/**
 * Issue #16, item 1: a project deployed before any provider existed, then a provider added and made
 * the default; the running agent must have it (no redeploy), and the owner's event stream says so.
 */
describe('providers: live provider changes reach a running agent (local runtime, real opencode, fake LLM)', function () {
  this.timeout(120_000);
  let fake: FakeLlm;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let project: Project;

  before(async () => {
    fake = await startFakeLlm();
    api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
    alice = client(api.url, api.adminToken);
  });
  after(async () => {
    if (project) await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(api.dataDir);
    await fake.close();
  });

  async function run(id: string, action: 'deploy' | 'stop' | 'start'): Promise<Operation> {
    const op = (await alice.post<Operation>(`/api/projects/${id}/${action}`, action === 'deploy' ? { force: true } : undefined)).body;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = (await alice.get<OperationList>(`/api/projects/${id}/operations`)).body.items.find((o) => o.id === op.id);
      if (found && ['succeeded', 'failed', 'cancelled'].includes(found.state)) return found;
      if (Date.now() > deadline) throw new Error(`${action} timed out`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function agent(): Promise<{ url: string; headers: Record<string, string> }> {
    const url = (await alice.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    return { url, headers: { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' } };
  }

  async function agentProviders(): Promise<{ ids: string[]; default: Record<string, string> }> {
    const a = await agent();
    const body = await (await fetch(`${a.url}/config/providers`, { headers: a.headers })).json() as { providers: { id: string }[]; default: Record<string, string> };
    return { ids: body.providers.map((p) => p.id), default: body.default };
  }

  it('a provider made the default after deploy is in the running agent at once, announced by agent.config, and prompts reach it', async () => {
    project = (await alice.post<Project>('/api/projects', { name: 'live' })).body;
    const deployed = await run(project.id, 'deploy');
    assert.equal(deployed.state, 'succeeded', deployed.error ?? '');
    assert.ok(!(await agentProviders()).ids.includes('fakellm'), 'deployed before the provider existed');
    const before = (await alice.get<Project>(`/api/projects/${project.id}`)).body;

    const events = await openEventStream(api.url, api.adminToken);
    try {
      assert.equal((await alice.post('/api/custom-providers', {
        id: 'fakellm', name: 'Fake LLM', baseURL: fake.baseUrl, apiKey: KEY, models: [{ id: 'fake-model', context: 128000, output: 4096 }],
      })).status, 201);
      const started = performance.now();
      assert.equal((await alice.call('PUT', '/api/me/default-model', { providerId: 'fakellm', modelId: 'fake-model' })).status, 200);
      const frame = await events.waitFor((f) => f.event === 'agent.config', 10_000);
      console.log(`      Set Default Provider → agent.config on the event stream: ${Math.round(performance.now() - started)} ms`);
      const data = (JSON.parse(frame.data!) as { data: unknown }).data;
      assert.deepEqual(data, { projectId: project.id, providerId: 'fakellm', modelId: 'fake-model', applied: true, needsRedeploy: null });
    } finally {
      await events.close();
    }
    const seen = await agentProviders();
    assert.deepEqual(seen.ids, ['fakellm']);
    assert.equal(seen.default.fakellm, 'fake-model');
    const now = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    assert.equal(now.status, 'running');
    assert.equal(now.updatedAt, before.updatedAt, 'no redeploy happened');
    assert.deepEqual(now.runtimeNotes.filter((n) => n.startsWith(REDEPLOY_NOTE)), []);

    // The config lives in the agent's own home (where a sandbox keeps it), never the workspace.
    const home = path.join(api.dataDir, 'projects', project.id, 'home');
    const written = fs.readFileSync(path.join(home, '.config', 'opencode', 'opencode.jsonc'), 'utf8');
    assert.match(written, /"fakellm\/fake-model"/);
    assert.ok(!written.includes(KEY), 'no key in the config');

    const a = await agent();
    const session = await (await fetch(`${a.url}/session`, { method: 'POST', headers: a.headers, body: '{}' })).json() as { id: string };
    const from = fake.requests.length;
    const reply = await fetch(`${a.url}/session/${session.id}/message`, {
      method: 'POST', headers: a.headers, body: JSON.stringify({ parts: [{ type: 'text', text: 'hello' }] }), signal: AbortSignal.timeout(30_000),
    });
    await reply.body?.cancel();
    assert.equal(reply.status, 200);
    const prompts = fake.requests.slice(from).filter((r) => !r.isTitle);
    assert.ok(prompts.length >= 1, 'the fake LLM got the prompt');
    assert.equal(prompts[0]!.body.model, 'fake-model');
    for (const r of fake.requests.slice(from)) assert.equal(r.authorization, `Bearer ${KEY}`);
  });

  it("a project override to another model reaches the agent and keeps after a stop and start", async () => {
    assert.equal((await alice.post('/api/custom-providers', {
      id: 'fakellm', name: 'Fake LLM', baseURL: fake.baseUrl, models: [{ id: 'fake-model', context: 128000, output: 4096 }, { id: 'other-model', context: 32000, output: 2048 }],
    })).status, 201);
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/model`, { providerId: 'fakellm', modelId: 'other-model' })).status, 200);
    // opencode's /config/providers `default` is its own pick among the models; the configured model is in GET /config.
    const configured = async () => { const a = await agent(); return ((await (await fetch(`${a.url}/config`, { headers: a.headers })).json()) as { model?: string }).model; };
    assert.equal(await configured(), 'fakellm/other-model');
    assert.equal((await run(project.id, 'stop')).state, 'succeeded');
    const started = await run(project.id, 'start');
    assert.equal(started.state, 'succeeded', started.error ?? '');
    assert.equal(await configured(), 'fakellm/other-model');
  });

  it('MEASURE: Set Default Provider → the chat\'s model list (agent.config, then GET /config/providers through the proxy) shows it, median of 10', async () => {
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/model`, { providerId: null, modelId: null })).status, 200);
    assert.equal((await alice.post('/api/custom-providers', {
      id: 'fakellm2', name: 'Fake LLM 2', baseURL: fake.baseUrl, models: [{ id: 'second-model', context: 32000, output: 2048 }],
    })).status, 201);
    const times: number[] = [];
    const events = await openEventStream(api.url, api.adminToken);
    try {
      for (let i = 0; i < 10; i++) {
        const [providerId, modelId] = i % 2 === 0 ? ['fakellm2', 'second-model'] : ['fakellm', 'fake-model'];
        const seen = events.frames.length;
        const started = performance.now();
        assert.equal((await alice.call('PUT', '/api/me/default-model', { providerId, modelId })).status, 200);
        await events.waitFor((f) => events.frames.indexOf(f) >= seen && f.event === 'agent.config', 30_000);
        // What the chat does on agent.config: the agent's providers through the API's proxy.
        const list = (await alice.get<{ providers: { id: string; models: Record<string, unknown> }[] }>(`/api/projects/${project.id}/opencode/config/providers`)).body;
        assert.deepEqual(list.providers.map((p) => p.id), [providerId]);
        assert.ok(modelId in list.providers[0]!.models, `${modelId} in the list`);
        times.push(performance.now() - started);
      }
    } finally {
      await events.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = (sorted[4]! + sorted[5]!) / 2;
    console.log(`      Set Default Provider → chat model list: median ${Math.round(median)} ms (min ${Math.round(sorted[0]!)}, max ${Math.round(sorted[9]!)}) over 10`);
  });

  it('an agent pinned to its deploy-time provider (an older deploy) is marked as needing a redeploy, in the row and the event', async () => {
    // What an older Hangar did: the provider in OPENCODE_CONFIG_CONTENT, which wins over any config file.
    const { injection } = api.server.services;
    const original = injection.envFor;
    injection.envFor = () => Promise.resolve({ OPENCODE_CONFIG_CONTENT: JSON.stringify({ enabled_providers: ['opencode'], model: 'opencode/big-pickle' }) });
    try {
      assert.equal((await alice.call('PUT', `/api/projects/${project.id}/model`, { providerId: null, modelId: null })).status, 200);
      const op = (await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body;
      const deadline = Date.now() + 60_000;
      let state = '';
      while (!['succeeded', 'failed'].includes(state) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        state = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === op.id)?.state ?? '';
      }
      assert.equal(state, 'succeeded');
    } finally {
      injection.envFor = original;
    }
    const row = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    const note = row.runtimeNotes.find((n) => n.startsWith(REDEPLOY_NOTE));
    assert.equal(note, `${REDEPLOY_NOTE}the agent still runs with the provider it was deployed with, not fakellm.`);
    // A redeploy with today's environment clears it.
    assert.equal((await run(project.id, 'deploy')).state, 'succeeded');
    const after = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    assert.deepEqual(after.runtimeNotes.filter((n) => n.startsWith(REDEPLOY_NOTE)), []);
    assert.deepEqual((await agentProviders()).ids, ['fakellm']);
  });
});
