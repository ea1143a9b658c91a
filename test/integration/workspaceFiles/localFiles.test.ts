// The workspace file routes on the local runtime: a real API, a deployed project with the real
// opencode talking to the fake LLM, and the files written through the API taking effect in the agent.
import assert from 'node:assert/strict';
import { basicAuth } from '../../../backend/runtime/health';
import { startAgentWorld, until, type AgentWorld } from '../agent/support';
import { fileRouteContract } from './fileContract';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('workspace files on the local runtime (real opencode, fake LLM)', function () {
  this.timeout(120_000);
  let w: AgentWorld;

  before(async function () {
    this.timeout(120_000);
    w = await startAgentWorld();
  });
  after(async () => { await w?.close(); });

  fileRouteContract('local', () => ({
    api: w.api, alice: w.alice, mallory: w.mallory, projectId: w.project.id,
    exec: async (argv) => w.api.server.services.drivers.require('local').exec(w.project.id, argv),
  }));

  it('a project never deployed has no workspace: 409 no_workspace on every file route, never a 5xx', async () => {
    const fresh = (await w.alice.post<{ id: string }>('/api/projects', { name: `never deployed ${Date.now()}` })).body;
    const files = `/api/projects/${fresh.id}/files`;
    for (const [method, url, body] of [
      ['GET', `${files}/list?path=src`], ['GET', `${files}/stat?path=AGENTS.md`], ['DELETE', `${files}?path=x`],
      ['PUT', `${files}/content`, { path: 'AGENTS.md', content: b64('x') }],
    ] as const) {
      const res = await w.alice.call<{ error: { code: string } }>(method, url, body);
      assert.deepEqual([res.status, res.body.error.code], [409, 'no_workspace'], `${method} ${url}`);
    }
  });

  it('an AGENTS.md saved through the API is in the next turn\'s request to the model', async () => {
    const files = `/api/projects/${w.project.id}/files`;
    const marker = `Always answer like a pirate ${Date.now()}.`;
    assert.equal((await w.alice.call('PUT', `${files}/content`, { path: 'AGENTS.md', content: b64(`# Rules\n\n${marker}\n`) })).status, 204);
    const session = (await w.alice.post<{ id: string }>(`${w.base}/session`, {})).body;
    const before = w.llm.requests.length;
    assert.equal((await w.alice.post(`${w.base}/session/${session.id}/prompt_async`, { parts: [{ type: 'text', text: 'Hi.' }] })).status, 204);
    const req = await until('the turn\'s request', () => w.llm.requests.slice(before).find((r) => !r.isTitle), 30_000);
    assert.ok(JSON.stringify(req.body.messages).includes(marker), 'the system prompt carries the new AGENTS.md');
  });

  it('a new command file reloads the agent and the agent lists the command', async () => {
    const files = `/api/projects/${w.project.id}/files`;
    const target = await w.api.server.services.agent.targets.forUser((await w.api.server.services.users.authenticate(w.api.adminToken))!.id, w.project.id);
    const commands = async () => (await (await fetch(`${target.baseUrl}/command`, { headers: { Authorization: basicAuth(target.password) } })).json()) as { name: string }[];
    assert.ok(!(await commands()).some((c) => c.name === 'shipit'));
    await w.alice.post(`${files}/directory`, { path: '.opencode' });
    await w.alice.post(`${files}/directory`, { path: '.opencode/command' });
    const events = await import('../support/sseReader').then((m) => m.openEventStream(w.api.url, w.api.adminToken));
    try {
      const put = await w.alice.call('PUT', `${files}/content`, { path: '.opencode/command/shipit.md', content: b64('---\ndescription: Ship it\n---\nShip the change.\n') });
      assert.equal(put.status, 204);
      const ev = await events.waitFor((f) => f.event === 'workspace.changed' && f.data!.includes('shipit.md'), 60_000);
      assert.equal(JSON.parse(ev.data!).data.agentReloaded, true);
    } finally {
      await events.close();
    }
    const listed = (await commands()).find((c) => c.name === 'shipit') as { description?: string } | undefined;
    assert.equal(listed?.description, 'Ship it');
  });
});
