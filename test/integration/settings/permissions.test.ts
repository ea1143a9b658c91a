import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { EffectivePermissions, Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

interface ToolPart { type: string; tool?: string; state?: { status?: string; error?: string; output?: string } }
interface Message { info: { role: string }; parts: ToolPart[] }

/**
 * Issue #15: OpenCode permissions set in Hangar reach a running agent without a redeploy
 * (PATCH /global/config + instance dispose): deny → the tool call is refused, ask → a permission
 * request appears; a removed bash rule is gone from the agent (the config file is reset first).
 */
describe('settings: OpenCode permissions reach a running agent (local runtime, real opencode, fake LLM)', function () {
  this.timeout(180_000);
  let fake: FakeLlm;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let project: Project;

  before(async () => {
    fake = await startFakeLlm();
    api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
    alice = client(api.url, api.adminToken);
    assert.equal((await alice.post('/api/custom-providers', {
      id: 'fakellm', name: 'Fake LLM', baseURL: fake.baseUrl, apiKey: `fk-permissions-${SECRET_MARKER}`,
      models: [{ id: 'fake-model', context: 128000, output: 4096 }],
    })).status, 201);
    assert.equal((await alice.call('PUT', '/api/me/default-model', { providerId: 'fakellm', modelId: 'fake-model' })).status, 200);
    project = (await alice.post<Project>('/api/projects', { name: 'perms' })).body;
    const op = (await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const found = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === op.id);
      if (found?.state === 'succeeded') break;
      if (found && found.state !== 'running' && found.state !== 'queued') throw new Error(`deploy ${found.state}: ${found.error}`);
      if (Date.now() > deadline) throw new Error('deploy timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    if (project) await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(api.dataDir);
    await fake.close();
  });

  const workspace = () => path.join(api.dataDir, 'projects', project.id, 'workspace');

  async function agent(): Promise<{ url: string; headers: Record<string, string> }> {
    const url = (await alice.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const auth = 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64');
    return { url, headers: { Authorization: auth, 'Content-Type': 'application/json' } };
  }

  async function agentGet<T>(p: string): Promise<T> {
    const a = await agent();
    return await (await fetch(`${a.url}${p}`, { headers: a.headers })).json() as T;
  }

  async function newSession(): Promise<string> {
    const a = await agent();
    const res = await fetch(`${a.url}/session`, { method: 'POST', headers: a.headers, body: '{}' });
    return (await res.json() as { id: string }).id;
  }

  /** One turn in which the model runs `touch <marker>` with bash, then says done. */
  async function bashTurn(sessionId: string, marker: string, wait: boolean): Promise<void> {
    fake.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: `touch ${marker}`, description: 'make a marker' } }] }, { text: 'done' });
    const a = await agent();
    const res = await fetch(`${a.url}/session/${sessionId}/${wait ? 'message' : 'prompt_async'}`, {
      method: 'POST', headers: a.headers, signal: AbortSignal.timeout(60_000),
      body: JSON.stringify({ parts: [{ type: 'text', text: `please touch ${marker}` }] }),
    });
    await res.body?.cancel();
    assert.ok(res.ok, `prompt answered ${res.status}`);
  }

  it('bash set to deny as the user default: the running agent refuses the next bash call (no redeploy)', async () => {
    const before = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    const put = await alice.call('PUT', '/api/me/permissions', { bash: 'deny' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const eff = (await alice.get<EffectivePermissions>(`/api/projects/${project.id}/permissions`)).body;
    assert.deepEqual(eff.tools.bash, { action: 'deny', source: 'user' });
    assert.deepEqual(eff.tools.edit, { action: 'allow', source: 'default' });
    const config = await agentGet<{ permission?: Record<string, unknown> }>('/config');
    assert.equal(config.permission?.bash, 'deny');

    const session = await newSession();
    const from = fake.requests.length;
    await bashTurn(session, 'denied-marker', true);
    assert.ok(!fs.existsSync(path.join(workspace(), 'denied-marker')), 'the command did not run');
    // A denied tool is not even offered to the model; the call it made anyway failed.
    const offered = fake.requests.slice(from).filter((r) => !r.isTitle)[0]!.body.tools as { function?: { name?: string } }[];
    assert.ok(!offered.some((t) => t.function?.name === 'bash'), 'bash is not among the tools offered');
    const messages = await agentGet<Message[]>(`/session/${session}/message`);
    const toolParts = messages.flatMap((m) => m.parts).filter((p) => p.type === 'tool');
    // opencode 1.18.33 answers a call to a denied (removed) tool with its "invalid" tool.
    assert.deepEqual(toolParts.map((p) => p.tool), ['invalid'], 'the model\'s bash call became a refusal');
    assert.match(toolParts[0]!.state?.output ?? '', /unavailable tool 'bash'/);
    const now = (await alice.get<Project>(`/api/projects/${project.id}`)).body;
    assert.equal(now.updatedAt, before.updatedAt, 'no redeploy happened');
  });

  it('a project override to ask: the next bash call waits for a permission reply, and reject refuses it', async () => {
    const put = await alice.call<EffectivePermissions>('PUT', `/api/projects/${project.id}/permissions`, { bash: 'ask' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.tools.bash, { action: 'ask', source: 'project' });
    const session = await newSession();
    await bashTurn(session, 'asked-marker', false);
    let pending: { id: string; sessionID: string; permission: string; patterns: string[] }[] = [];
    const deadline = Date.now() + 30_000;
    while (!pending.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      pending = (await alice.get<typeof pending>(`/api/projects/${project.id}/opencode/permission`)).body;
    }
    assert.equal(pending.length, 1, 'one permission request (through the API proxy, as the chat sees it)');
    assert.equal(pending[0]!.permission, 'bash');
    assert.equal(pending[0]!.sessionID, session);
    assert.deepEqual(pending[0]!.patterns, ['touch asked-marker']);
    assert.ok(!fs.existsSync(path.join(workspace(), 'asked-marker')), 'nothing ran while it waits');
    const a = await agent();
    const reply = await fetch(`${a.url}/permission/${pending[0]!.id}/reply`, {
      method: 'POST', headers: a.headers, body: JSON.stringify({ reply: 'reject' }),
    });
    await reply.body?.cancel();
    assert.equal(reply.status, 200);
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!fs.existsSync(path.join(workspace(), 'asked-marker')), 'rejected: never ran');
  });

  it('bash rules reach the agent, and a removed rule is gone from it (the config file is reset, not merged)', async () => {
    const rules = [{ pattern: 'git *', action: 'allow' }, { pattern: 'rm *', action: 'deny' }];
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, { bash: 'ask', bashRules: rules })).status, 200);
    let config = await agentGet<{ permission?: Record<string, unknown>; model?: string }>('/config');
    assert.deepEqual(config.permission?.bash, { '*': 'ask', 'git *': 'allow', 'rm *': 'deny' });
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, { bash: 'ask', bashRules: [rules[1]] })).status, 200);
    config = await agentGet('/config');
    assert.deepEqual(config.permission?.bash, { '*': 'ask', 'rm *': 'deny' });
    assert.equal(config.model, 'fakellm/fake-model', 'the provider config is written again after the reset');
    // {} removes the override: the project follows the user's default again.
    const cleared = await alice.call<EffectivePermissions>('PUT', `/api/projects/${project.id}/permissions`, {});
    assert.deepEqual(cleared.body.tools.bash, { action: 'deny', source: 'user' });
    assert.deepEqual(cleared.body.bashRules, { rules: [], source: 'default' });
    config = await agentGet('/config');
    assert.equal(config.permission?.bash, 'deny');
  });

  it('MEASURE: a permission change → in the running agent (PUT answered once the agent has it), median of 10', async () => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const action = i % 2 === 0 ? 'ask' : 'deny';
      const started = performance.now();
      assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, { bash: action })).status, 200);
      times.push(performance.now() - started);
      assert.equal((await agentGet<{ permission?: Record<string, unknown> }>('/config')).permission?.bash, action);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = (sorted[4]! + sorted[5]!) / 2;
    console.log(`      permission change → running agent: median ${Math.round(median)} ms (min ${Math.round(sorted[0]!)}, max ${Math.round(sorted[9]!)}) over 10`);
    assert.equal((await alice.call('PUT', `/api/projects/${project.id}/permissions`, {})).status, 200);
  });

  it('hostile input gets a 400 naming the field, never a 500', async () => {
    const bad = await alice.call<{ error: { code: string; message: string } }>('PUT', '/api/me/permissions', { bash: 'maybe' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /bash/);
    const extra = await alice.call('PUT', `/api/projects/${project.id}/permissions`, { shell: 'deny' });
    assert.equal(extra.status, 400);
    const other = await alice.call('GET', '/api/projects/00000000-0000-4000-8000-000000000000/permissions');
    assert.equal(other.status, 404);
  });
});
