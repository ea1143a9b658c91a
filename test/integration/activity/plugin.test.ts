import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ActivityPage, ActivitySession, HangarEvent, Project } from '../../../backend/contract';
import { HttpError } from '../../../backend/errors';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';

/**
 * The plugin loaded by the real opencode (local runtime, pinned 1.18.33) posting to the real API,
 * with the fake LLM as the only stand-in.
 */
describe('activity: the opencode plugin on the local runtime (real opencode)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let llm: FakeLlm;
  let project: Project;
  let agent: (method: string, p: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

  async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const session = (id: string) => async (): Promise<ActivitySession | undefined> =>
    (await admin.get<ActivityPage>(`/api/activity?projectId=${project.id}&limit=200`)).body.items.find((s) => s.sessionId === id);

  before(async () => {
    llm = await startFakeLlm();
    api = await startTestApi();
    admin = client(api.url, api.adminToken);
    project = (await admin.post<Project>('/api/projects', { name: 'plugged' })).body;
    const p = projectPaths(path.join(api.dataDir, 'projects'), project.id);
    fs.mkdirSync(p.workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: Record<string, unknown> } } };
    config.provider.fake.options.apiKey = 'fake-key';
    fs.writeFileSync(path.join(p.workspace, 'opencode.json'), JSON.stringify({ ...config, permission: { bash: 'ask' } }));
    assert.equal((await admin.post(`/api/projects/${project.id}/deploy`, { force: false })).status, 202);
    await waitFor('running', async () => {
      const pr = (await admin.get<Project>(`/api/projects/${project.id}`)).body;
      if (pr.status === 'failed') throw new Error(`deploy failed: ${pr.statusReason}`);
      return pr.status === 'running' ? pr : undefined;
    }, 60_000);
    const agentUrl = (await api.server.services.projects.rowById(project.id))!.agent_url!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const auth = 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64');
    agent = async (method, p2, body) => {
      const res = await fetch(agentUrl + p2, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
  });

  after(async () => {
    await admin?.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ }
    await api?.close();
    await llm?.close();
  });

  it('installs the plugin into the project config dir only and gives opencode the webhook URL', () => {
    const p = projectPaths(path.join(api.dataDir, 'projects'), project.id);
    assert.ok(fs.existsSync(path.join(p.configDir, 'plugins', 'hangar-webhook.js')));
    assert.ok(!fs.existsSync(path.join(p.home, '.config', 'opencode', 'plugins')), 'not twice');
    const record = JSON.parse(fs.readFileSync(p.runtimeFile, 'utf8')) as { pid: number };
    const environ = fs.readFileSync(`/proc/${record.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes(`HANGAR_WEBHOOK_URL=${api.url}/api/webhooks/opencode`));
  });

  it('a created session appears; a prompt goes running → complete with the title and the excerpt, and one done notification', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      const created = await agent('POST', '/session', {});
      assert.equal(created.status, 200);
      const sid = (created.body as { id: string }).id;
      const first = await waitFor('session row', session(sid));
      assert.equal(first.status, 'idle');
      llm.enqueue({ text: 'All tests pass now.' });
      const res = await agent('POST', `/session/${sid}/message`, { parts: [{ type: 'text', text: 'fix it' }] });
      assert.equal(res.status, 200);
      const done = await waitFor('complete', async () => { const s = await session(sid)(); return s?.status === 'complete' ? s : undefined; });
      assert.equal(done.excerpt, 'All tests pass now.');
      assert.equal(done.parentSessionId, null);
      await waitFor('title', async () => ((await session(sid)())?.title === 'Fake session title' ? true : undefined));
      await stream.waitFor((f) => f.event === 'notification.created');
      await new Promise((r) => setTimeout(r, 500));
      const events = stream.events().map((f) => JSON.parse(f.data!) as HangarEvent).filter((e) => e.type === 'activity.updated' || e.type === 'notification.created');
      const statuses = events.flatMap((e) => (e.type === 'activity.updated' && e.data.session.sessionId === sid ? [e.data.session.status] : []));
      assert.ok(statuses.includes('running'), `saw running: ${statuses.join(',')}`);
      assert.equal(statuses[statuses.length - 1], 'complete');
      const notes = events.filter((e) => e.type === 'notification.created');
      assert.equal(notes.length, 1, 'one notification for session.status idle + session.idle');
      assert.equal(notes[0]!.type === 'notification.created' && notes[0]!.data.kind, 'done');
    } finally {
      await stream.close();
    }
  });

  it('a permission ask shows waiting_for_permission with a needs-approval notification; the reply lets it finish', async () => {
    const sid = ((await agent('POST', '/session', {})).body as { id: string }).id;
    llm.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo hi', description: 'Say hi' } }] }, { text: 'Ran it.' });
    assert.equal((await agent('POST', `/session/${sid}/prompt_async`, { parts: [{ type: 'text', text: 'run echo' }] })).status, 204);
    await waitFor('waiting', async () => ((await session(sid)())?.status === 'waiting_for_permission' ? true : undefined));
    const pending = (await agent('GET', '/permission')).body as { id: string; sessionID: string }[];
    const ask = pending.find((x) => x.sessionID === sid);
    assert.ok(ask, 'opencode has the pending permission');
    assert.equal((await agent('POST', `/permission/${ask.id}/reply`, { reply: 'once' })).status, 200);
    const done = await waitFor('complete', async () => { const s = await session(sid)(); return s?.status === 'complete' ? s : undefined; });
    assert.equal(done.excerpt, 'Ran it.');
  });

  it('marks a subagent session with its parent', async () => {
    const sid = ((await agent('POST', '/session', {})).body as { id: string }).id;
    llm.enqueue(
      { toolCalls: [{ name: 'task', arguments: { description: 'Look around', prompt: 'List the files', subagent_type: 'general' } }] },
      { text: 'Nothing here.' },
      { text: 'The subagent found nothing.' },
    );
    const res = await agent('POST', `/session/${sid}/message`, { parts: [{ type: 'text', text: 'delegate' }] });
    assert.equal(res.status, 200);
    const child = await waitFor('the child row', async () =>
      (await admin.get<ActivityPage>(`/api/activity?projectId=${project.id}&limit=200`)).body.items.find((s) => s.parentSessionId === sid));
    assert.notEqual(child.sessionId, sid);
    await waitFor('parent complete', async () => ((await session(sid)())?.status === 'complete' ? true : undefined));
  });

  it('the agent keeps working while the API refuses webhooks; the plugin logs and drops', async () => {
    const activity = api.server.services.activity;
    const receive = activity.receive.bind(activity);
    activity.receive = async () => { throw new HttpError(503, 'runtime_unavailable', 'down for the test'); };
    try {
      const sid = ((await agent('POST', '/session', {})).body as { id: string }).id;
      llm.enqueue({ text: 'Still working.' });
      const res = await agent('POST', `/session/${sid}/message`, { parts: [{ type: 'text', text: 'go on' }] });
      assert.equal(res.status, 200, 'the turn finishes although every webhook call fails');
      assert.equal(((res.body as { parts: Array<{ type: string; text?: string }> }).parts.find((x) => x.type === 'text'))?.text, 'Still working.');
      const logFile = projectPaths(path.join(api.dataDir, 'projects'), project.id).logFile;
      await waitFor('the drop log line', async () => (/\[hangar-webhook\] webhook unreachable after 4 attempts \(HTTP 503\); event dropped/.test(fs.readFileSync(logFile, 'utf8')) ? true : undefined), 20_000);
    } finally {
      activity.receive = receive;
    }
  });

  it('a provider error ends in error with a failed notification', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      const sid = ((await agent('POST', '/session', {})).body as { id: string }).id;
      llm.enqueue({ error: { status: 400, message: 'model refuses' } });
      await agent('POST', `/session/${sid}/prompt_async`, { parts: [{ type: 'text', text: 'fail please' }] });
      const failed = await waitFor('error', async () => { const s = await session(sid)(); return s?.status === 'error' ? s : undefined; });
      assert.match(failed.error ?? '', /model refuses|400|Bad Request/i);
      const note = await stream.waitFor((f) => f.event === 'notification.created' && f.data!.includes(sid));
      assert.equal((JSON.parse(note.data!) as { data: { kind: string } }).data.kind, 'failed');
    } finally {
      await stream.close();
    }
  });
});
