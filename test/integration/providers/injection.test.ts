import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

/** Every file under dir whose bytes contain needle. */
function filesContaining(dir: string, needle: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => { try { return fs.readFileSync(f).includes(needle); } catch { return false; } });
}

const KEY = 'fk-' + Math.random().toString(36).slice(2) + 'K3Y9';
const KEY2 = 'fk-' + Math.random().toString(36).slice(2) + 'N3W2';
const KEY3 = 'fk-' + Math.random().toString(36).slice(2) + 'S7RT';

describe('providers: injection into a deployed agent (local runtime, real opencode, fake LLM)', function () {
  this.timeout(90_000);
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

  async function deployed(id: string): Promise<Operation> {
    const op = (await alice.post<Operation>(`/api/projects/${id}/deploy`, { force: false })).body;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = (await alice.get<OperationList>(`/api/projects/${id}/operations`)).body.items.find((o) => o.id === op.id);
      if (found && ['succeeded', 'failed', 'cancelled'].includes(found.state)) return found;
      if (Date.now() > deadline) throw new Error('deploy timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a project using a custom provider reaches the fake LLM with exactly the stored key', async () => {
    const custom = await alice.post('/api/custom-providers', {
      id: 'fakellm', name: 'Fake LLM', baseURL: fake.baseUrl, apiKey: KEY, models: [{ id: 'fake-model', context: 128000, output: 4096 }],
    });
    assert.equal(custom.status, 201);
    assert.equal((await alice.call('PUT', '/api/me/default-model', { providerId: 'fakellm', modelId: 'fake-model' })).status, 200);
    project = (await alice.post<Project>('/api/projects', { name: 'inject' })).body;
    const op = await deployed(project.id);
    assert.equal(op.state, 'succeeded', op.error ?? '');
    const agent = (await alice.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };

    const providers = await (await fetch(`${agent}/config/providers`, { headers })).json() as { providers: { id: string }[]; default: Record<string, string> };
    assert.deepEqual(providers.providers.map((p) => p.id), ['fakellm'], 'enabled_providers: only the project provider');
    assert.equal(providers.default.fakellm, 'fake-model');

    const session = await (await fetch(`${agent}/session`, { method: 'POST', headers, body: '{}' })).json() as { id: string };
    const started = performance.now();
    const reply = await fetch(`${agent}/session/${session.id}/message`, {
      method: 'POST', headers, body: JSON.stringify({ parts: [{ type: 'text', text: 'hello' }] }), signal: AbortSignal.timeout(30_000),
    });
    assert.equal(reply.status, 200);
    const turnMs = Math.round(performance.now() - started);
    const prompts = fake.requests.filter((r) => !r.isTitle);
    assert.ok(prompts.length >= 1, `the fake LLM got the prompt (${fake.requests.length} requests)`);
    for (const r of fake.requests) assert.equal(r.authorization, `Bearer ${KEY}`);
    assert.equal(prompts[0]!.body.model, 'fake-model');
    console.log(`      prompt round trip through the injected provider: ${turnMs} ms`);

    const cred = (await alice.get<{ items: { providerId: string; lastUsedAt: string | null }[] }>('/api/credentials')).body.items[0]!;
    assert.ok(cred.lastUsedAt, 'deploying marks the credential used');
    // Only opencode's own credential store inside the agent's home holds it (0600); never the
    // database, its WAL, the sealed deploy spec or any log.
    const authFile = path.join(api.dataDir, 'projects', project.id, 'home', '.local', 'share', 'opencode', 'auth.json');
    assert.deepEqual(filesContaining(api.dataDir, KEY), [authFile]);
    assert.equal(fs.statSync(authFile).mode & 0o777, 0o600);
  });

  it('a changed key reaches the running agent without a redeploy; a deleted one is gone from it', async () => {
    const agent = (await alice.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };
    const prompt = async () => {
      const session = await (await fetch(`${agent}/session`, { method: 'POST', headers, body: '{}' })).json() as { id: string };
      const from = fake.requests.length;
      const res = await fetch(`${agent}/session/${session.id}/message`, {
        method: 'POST', headers, body: JSON.stringify({ parts: [{ type: 'text', text: 'again' }] }), signal: AbortSignal.timeout(30_000),
      });
      await res.body?.cancel();
      return fake.requests.slice(from);
    };
    const instanceBefore = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    const started = performance.now();
    assert.equal((await alice.post('/api/providers/fakellm/credentials', { type: 'api', key: KEY2 })).status, 201);
    console.log(`      key change pushed to the running agent (PUT /auth + dispose) in ${Math.round(performance.now() - started)} ms`);
    const after = await prompt();
    assert.ok(after.length >= 1);
    for (const r of after) assert.equal(r.authorization, `Bearer ${KEY2}`);
    const instanceAfter = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    assert.equal(instanceAfter.status, 'running');
    assert.equal(instanceAfter.updatedAt, instanceBefore.updatedAt, 'no redeploy happened');

    assert.equal((await alice.del('/api/providers/fakellm/credentials')).status, 204);
    const auth = await (await fetch(`${agent}/provider/auth`, { headers })).text();
    assert.ok(!auth.includes(KEY2));
    assert.deepEqual(filesContaining(api.dataDir, KEY2), [], 'gone from the agent store too');
    const none = await prompt();
    for (const r of none) assert.ok(!(r.authorization ?? '').includes(KEY2) && !(r.authorization ?? '').includes(KEY), r.authorization);
  });

  it('a key set while the project is stopped reaches it when it starts', async () => {
    const run = async (action: 'stop' | 'start') => {
      const op = (await alice.post<Operation>(`/api/projects/${project.id}/${action}`)).body;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const found = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === op.id);
        if (found && ['succeeded', 'failed', 'cancelled'].includes(found.state)) return found;
        if (Date.now() > deadline) throw new Error(`${action} timed out`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    assert.equal((await run('stop')).state, 'succeeded');
    assert.equal((await alice.post('/api/providers/fakellm/credentials', { type: 'api', key: KEY3 })).status, 201);
    const started = await run('start');
    assert.equal(started.state, 'succeeded', started.error ?? '');
    const agent = (await alice.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };
    const session = await (await fetch(`${agent}/session`, { method: 'POST', headers, body: '{}' })).json() as { id: string };
    const from = fake.requests.length;
    const res = await fetch(`${agent}/session/${session.id}/message`, {
      method: 'POST', headers, body: JSON.stringify({ parts: [{ type: 'text', text: 'after start' }] }), signal: AbortSignal.timeout(30_000),
    });
    await res.body?.cancel();
    const seen = fake.requests.slice(from);
    assert.ok(seen.length >= 1);
    for (const r of seen) assert.equal(r.authorization, `Bearer ${KEY3}`);
  });
});
