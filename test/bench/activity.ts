// Activity figures (part of `npm run bench`; no assertions):
// 1. The delay from the agent's session.idle (the moment the Hangar plugin's hook inside the real
//    opencode sees it: the `sentAt` it stamps on the webhook) to notification.created reaching an SSE
//    client of GET /api/events, over 50 sessions (real opencode on the local runtime, fake LLM).
//    A VS Code window is one such client; it adds its own parsing on top, not measured here.
// 2. The API's webhook throughput: signed POST /api/webhooks/opencode per second, with GET /api/health
//    (unsigned, no database) on the same server as the baseline; load from another process.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Project } from '../../backend/contract';
import { projectPaths } from '../../backend/runtime/local/paths';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm } from '../fixtures/fakeLlm/server';
import { client, startTestApi } from '../integration/support/apiServer';
import { ev, hookBody, postHook } from '../integration/activity/webhookSupport';
import { percentile } from './stats';
import { record } from './results';

const SESSIONS = Number(process.env.BENCH_ACTIVITY_SESSIONS ?? 50);
const LOAD_N = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 3000);
const IN_FLIGHT = 20;

/** An SSE client of /api/events that stamps each notification.created with its arrival time. */
async function notificationClient(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/events`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: controller.signal });
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const pump = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const now = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          if (!frame.includes('event: notification.created')) continue;
          const data = frame.split('\n').find((l) => l.startsWith('data:'))?.slice(5);
          const sid = data ? (JSON.parse(data) as { data: { sessionId: string } }).data.sessionId : undefined;
          if (sid && !arrived.has(sid)) { arrived.set(sid, now); waiters.get(sid)?.(); }
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    arrived,
    wait: (sid: string, ms = 15_000) => new Promise<void>((resolve, reject) => {
      if (arrived.has(sid)) return resolve();
      const t = setTimeout(() => reject(new Error(`no notification for ${sid} within ${ms} ms`)), ms);
      waiters.set(sid, () => { clearTimeout(t); resolve(); });
    }),
    close: async () => { controller.abort(); await pump; },
  };
}

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
    const sse = await notificationClient(api.url, api.adminToken);
    const agent = async (method: string, p2: string, body?: unknown) => {
      const res = await fetch(agentUrl + p2, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return res.json() as Promise<{ id: string }>;
    };
    const delays: number[] = [];
    // One warm-up session (first prompt loads the provider), then the measured ones.
    for (let i = 0; i <= SESSIONS; i++) {
      const { id } = await agent('POST', '/session', {});
      await agent('POST', `/session/${id}/message`, { parts: [{ type: 'text', text: `task ${i}` }] });
      await sse.wait(id);
      if (i > 0 && hookIdleAt.has(id)) delays.push(sse.arrived.get(id)! - hookIdleAt.get(id)!);
    }
    await sse.close();
    const sorted = [...delays].sort((a, b) => a - b);

    // The load comes from another process, so the figures are the API's alone.
    const run = (mode: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', __filename, mode, api.url, webhookSecret, project.id], { encoding: 'utf8' });
    const health = JSON.parse((await run('health')).stdout) as { rps: number; statuses: Record<string, number> };
    const signed = JSON.parse((await run('load')).stdout) as { rps: number; statuses: Record<string, number> };
    const rows: [string, string][] = [
      [`agent session.idle (plugin hook) → notification.created at an SSE client of /api/events, n=${delays.length}`,
        `median ${percentile(sorted, 50)} ms  p95 ${percentile(sorted, 95)} ms  max ${sorted.at(-1)} ms (ms clock)`],
      [`GET /api/health (baseline), ${LOAD_N} requests, ${IN_FLIGHT} in flight`, `${health.rps.toFixed(0)} req/s ${JSON.stringify(health.statuses)}`],
      [`signed POST /api/webhooks/opencode (new session each), ${LOAD_N} requests, ${IN_FLIGHT} in flight`, `${signed.rps.toFixed(0)} req/s ${JSON.stringify(signed.statuses)}`],
      ['  ratio to the baseline', `×${(signed.rps / health.rps).toFixed(2)}`],
    ];
    record({ suite: 'Activity', name: `signed webhook, ${IN_FLIGHT} in flight`, value: signed.rps, unit: 'req/s',
      baseline: { name: 'GET /api/health', value: health.rps }, target: '≥ 0.8× of /api/health',
      met: signed.rps >= 0.8 * health.rps });
    record({ suite: 'Activity', name: 'session.idle → notification at an SSE client, median',
      value: percentile(sorted, 50), unit: 'ms' });
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\nHangar activity benchmarks (${new Date().toISOString()}, node ${process.version})`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ }
    await api.close();
    await llm.close();
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
}

/** N requests, IN_FLIGHT at a time; prints {rps, statuses} as JSON. */
async function load(mode: 'load' | 'health', url: string, secret: string, projectId: string): Promise<void> {
  let next = 0;
  const statuses: Record<string, number> = {};
  const one = mode === 'health'
    ? async () => { const r = await fetch(`${url}/api/health`); await r.arrayBuffer(); return r.status; }
    : async (i: number) => (await postHook(url, secret, hookBody(projectId, ev.busy(`ses_bench_${i}`)))).status;
  // Warm-up, not counted.
  for (let i = 0; i < 50; i++) await one(LOAD_N + i);
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < LOAD_N) {
      const status = await one(next++);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }));
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ rps: LOAD_N / secs, statuses }));
}

const [, , mode, ...args] = process.argv;
if (mode === 'load' || mode === 'health') {
  load(mode, args[0]!, args[1]!, args[2]!).then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
} else main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
