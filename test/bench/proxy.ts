// The agent proxy's added latency: GET /session/status through /api/projects/:id/opencode next to
// the same call straight to opencode with its Basic auth, in the same run against the same process.
// `node --import tsx test/bench/proxy.ts`; BENCH_REQUESTS=N (default 200). No assertions.
import fs from 'node:fs';
import path from 'node:path';
import type { OperationList, Project } from '../../backend/contract';
import { basicAuth } from '../../backend/runtime/health';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { client, startTestApi } from '../integration/support/apiServer';
import { fmt, percentile } from './stats';
import { record } from './results';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const api = await startTestApi({ HANGAR_RUNTIME: 'local' });
  const http = client(api.url, api.adminToken);
  try {
    const project = (await http.post<Project>('/api/projects', { name: 'proxy bench' })).body;
    const op = (await http.post<{ id: string }>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    for (;;) {
      const o = (await http.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((x) => x.id === op.id);
      if (o?.state === 'succeeded') break;
      if (o && ['failed', 'cancelled'].includes(o.state)) throw new Error(`deploy ${o.state}: ${o.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const agentUrl = (await http.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const password = (await api.server.services.projects.secrets(project.id)).opencodePassword;
    const direct = () => timed(`${agentUrl}/session/status`, { Authorization: basicAuth(password) });
    // The API's own floor: an owner-checked route that does not call the agent.
    const floor = () => timed(`${api.url}/api/projects/${project.id}`, { Authorization: `Bearer ${api.adminToken}` });
    const proxied = () => timed(`${api.url}/api/projects/${project.id}/opencode/session/status`, { Authorization: `Bearer ${api.adminToken}` });

    for (let i = 0; i < 30; i++) { await direct(); await proxied(); await floor(); }
    // Alternate the two so drift (GC, the agent warming up) hits both alike.
    const d: number[] = [];
    const p: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      d.push(await direct());
      p.push(await proxied());
      f.push(await floor());
    }
    // CPU spent in this process (the client, and for the proxied call the whole API) per request: on a busy
    // machine wall-clock times mostly show waiting for a core, this shows the API's own work.
    const cpuPer = async (call: () => Promise<number>) => {
      const before = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) await call();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / REQUESTS / 1000;
    };
    const cpu = { direct: await cpuPer(direct), proxied: await cpuPer(proxied), floor: await cpuPer(floor) };
    const ds = stats(d);
    const ps = stats(p);
    const fs_ = stats(f);
    record({ suite: 'Agent proxy', name: 'GET /session/status through the proxy, median', value: ps.median, unit: 'ms',
      baseline: { name: 'direct to opencode, median', value: ds.median }, target: '≤ +0.5 ms added',
      met: ps.median - ds.median <= 0.5 });
    console.log(`agent proxy, GET /session/status ×${REQUESTS} (sequential, loopback, local runtime)`);
    console.log(`  direct to opencode: median ${fmt(ds.median)}, p95 ${fmt(ds.p95)}`);
    console.log(`  through the proxy:  median ${fmt(ps.median)}, p95 ${fmt(ps.p95)}`);
    console.log(`  API floor (GET /api/projects/:id, no agent call): median ${fmt(fs_.median)}, p95 ${fmt(fs_.p95)}`);
    console.log(`  CPU of this process per request: direct ${fmt(cpu.direct)}, proxied ${fmt(cpu.proxied)} (the API's share +${fmt(cpu.proxied - cpu.direct)}), floor ${fmt(cpu.floor)}`);
    record({ suite: 'Agent proxy', name: 'GET /session/status through the proxy, CPU of client and API per request', value: cpu.proxied, unit: 'ms',
      baseline: { name: 'direct to opencode, CPU of the client per request', value: cpu.direct }, target: 'informational (load-independent)' });
    console.log(`  added: median +${fmt(ps.median - ds.median)}, p95 +${fmt(ps.p95 - ds.p95)}; ratio ×${(ps.median / ds.median).toFixed(2)} (median), ×${(ps.p95 / ds.p95).toFixed(2)} (p95)`);
    await http.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
  } finally {
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
