// Activity figures on this machine (not part of the suite):
//   node --import tsx test/integration/activity/bench.ts
// 1. The delay from the plugin hook seeing session idle (the webhook's sentAt) to notification.created on the
//    user's Hangar event stream, over 50 sessions with the real plugin and the fake LLM. The VS Code
//    window adds one more SSE hop on loopback on top of this.
// 2. Webhook throughput: signed POST /api/webhooks/opencode per second (20 in flight).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import type { Project } from '../../../backend/contract';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm } from '../../fixtures/fakeLlm/server';
import { client, startTestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { ev, hookBody, postHook } from './webhookSupport';

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

async function main(): Promise<void> {
  const llm = await startFakeLlm();
  const api = await startTestApi({ HANGAR_EVENT_BUFFER: '100000' });
  const admin = client(api.url, api.adminToken);
  try {
    const project = (await admin.post<Project>('/api/projects', { name: 'bench' })).body;
    const p = projectPaths(path.join(api.dataDir, 'projects'), project.id);
    fs.mkdirSync(p.workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: Record<string, unknown> } } };
    config.provider.fake.options.apiKey = 'fake-key';
    fs.writeFileSync(path.join(p.workspace, 'opencode.json'), JSON.stringify(config));
    await admin.post(`/api/projects/${project.id}/deploy`, { force: false });
    for (let i = 0; ; i++) {
      const st = (await admin.get<Project>(`/api/projects/${project.id}`)).body.status;
      if (st === 'running') break;
      if (st === 'failed' || i > 600) throw new Error(`deploy ${st}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const agentUrl = (await api.server.services.projects.rowById(project.id))!.agent_url!;
    const { opencodePassword, webhookSecret } = await api.server.services.projects.secrets(project.id);
    const auth = 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64');
    const noteAt = new Map<string, number>();
    // The moment the API publishes each notification (in-process: exact).
    const me = (await admin.get<{ id: string }>('/api/me')).body;
    api.server.services.hub.subscribe(me.id, (e) => { if (e.type === 'notification.created') noteAt.set(e.data.sessionId, Date.now()); });
    // When the plugin's hook saw idle: the sentAt of the first idle webhook (stamped as the hook enqueues it).
    const hookIdleAt = new Map<string, number>();
    const activity = api.server.services.activity;
    const receive = activity.receive.bind(activity);
    activity.receive = async (req) => {
      const b = JSON.parse(req.raw ?? '{}') as { event?: { type: string; properties: { sessionID?: string; status?: { type: string } } }; sentAt?: string };
      const sid = b.event?.properties.sessionID;
      const idle = b.event?.type === 'session.idle' || (b.event?.type === 'session.status' && b.event.properties.status?.type === 'idle');
      if (sid && idle && !hookIdleAt.has(sid)) hookIdleAt.set(sid, Date.parse(b.sentAt!));
      return receive(req);
    };
    const stream = await openEventStream(api.url, api.adminToken);
    const agent = async (method: string, p2: string, body?: unknown) => {
      const res = await fetch(agentUrl + p2, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return res.json() as Promise<{ id: string }>;
    };
    const delays: number[] = [];
    for (let i = 0; i < 50; i++) {
      const { id } = await agent('POST', '/session', {});
      await agent('POST', `/session/${id}/message`, { parts: [{ type: 'text', text: `task ${i}` }] });
      await stream.waitFor((x) => x.event === 'notification.created' && x.data!.includes(id), 10_000);
      if (hookIdleAt.has(id)) delays.push(noteAt.get(id)! - hookIdleAt.get(id)!);
    }
    await stream.close();
    console.log(`plugin hook sees idle → API publishes notification.created, ${delays.length} sessions: median ${pct(delays, 50).toFixed(1)} ms, p95 ${pct(delays, 95).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms (ms clock)`);

    // The load comes from another process, so the figure is the API's alone.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', __filename, 'load', api.url, webhookSecret, project.id], { encoding: 'utf8' });
    console.log(stdout.trim());
  } finally {
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ }
    await api.close();
    await llm.close();
  }
}

/** Posts N signed webhooks, 20 in flight; prints requests per second. */
async function load(url: string, secret: string, projectId: string): Promise<void> {
  const N = 3000;
  let next = 0;
  const statuses = new Map<number, number>();
  const started = performance.now();
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < N) {
      const i = next++;
      const r = await postHook(url, secret, hookBody(projectId, ev.busy(`ses_bench_${i}`)));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  }));
  const secs = (performance.now() - started) / 1000;
  console.log(`webhook throughput: ${N} signed requests (new session each) in ${secs.toFixed(2)} s = ${(N / secs).toFixed(0)} req/s, 20 in flight (statuses ${JSON.stringify(Object.fromEntries(statuses))})`);
}

if (process.argv[2] === 'load') {
  load(process.argv[3]!, process.argv[4]!, process.argv[5]!).then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
} else main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
