// The warm pool: first deploy → ready through the HTTP API when a pooled agent is waiting, beside
// opencode's own cold start from the same run, and the memory a waiting agent holds (RSS of its
// process group: bubblewrap, its reaper and opencode). Run by test/bench/deploy.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../backend/contract';
import type { LocalDriver } from '../../backend/runtime/local/localDriver';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { client, startTestApi } from '../integration/support/apiServer';
import { record } from './results';
import { fmt, summarize } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Resident memory of every process in process group `pgid`, in KiB. */
export function groupRssKiB(pgid: number): number {
  let total = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'));
      total += Number(rss?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return total;
}

async function until(what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `coldMs`: opencode's cold start alone, measured by the caller in the same run. */
export async function benchLocalWarm(coldMs: number): Promise<void> {
  const api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_WARM_POOL_LOCAL: '1' });
  const http = client(api.url, api.adminToken);
  const pool = (api.server.services.drivers.get('local') as LocalDriver).pool!;
  const deploys: number[] = [];
  const rss: number[] = [];
  const projects: Project[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      await until('a ready pooled agent', () => pool.stats().ready === 1);
      await new Promise((r) => setTimeout(r, 2000)); // let the agent settle after its start before weighing it
      rss.push(groupRssKiB(pool.stats().pids[0]!) / 1024);
      const project = (await http.post<Project>('/api/projects', { name: `warm ${i}` })).body;
      projects.push(project);
      const t0 = performance.now();
      const op = (await http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
      await api.server.services.operations.settled(project.id);
      deploys.push(performance.now() - t0);
      const done = (await http.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === op.id);
      if (done?.state !== 'succeeded') throw new Error(`warm deploy ${done?.state}: ${done?.error}`);
      if (!done.steps.some((s) => s.message.startsWith('Claimed a warm agent'))) throw new Error('bench: the deploy did not claim the pooled agent');
    }
  } finally {
    for (const p of projects) await http.del(`/api/projects/${p.id}?deleteVolumes=true&confirm=${p.slug}`);
    await api.close();
    for (const root of ['projects', 'pool']) for (const s of scanProcesses(path.join(api.dataDir, root))) process.kill(-s.pid, 'SIGKILL');
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
  const d = summarize(deploys);
  const m = summarize(rss);
  record({ suite: 'Warm pool', name: 'local: first deploy → ready from the warm pool, median', value: d.median, unit: 'ms',
    baseline: { name: 'opencode cold start', value: coldMs }, target: '≤ 300 ms and ≤ ×0.25 of the cold start', met: d.median <= 300 && d.median <= 0.25 * coldMs });
  record({ suite: 'Warm pool', name: 'local: memory per pooled agent (RSS of its process group), median', value: m.median, unit: 'MiB' });
  console.log(`\nWarm pool, local (${new Date().toISOString()}, through the HTTP API, 202 → operation finished)`);
  console.log(`first deploy → ready from the pool (n=${d.n})  median ${fmt(d.median)}  max ${fmt(d.max)}  ×${(d.median / coldMs).toFixed(2)} of cold start ${fmt(coldMs)}`);
  console.log(`RSS per pooled agent (n=${m.n})  median ${m.median.toFixed(1)} MiB  max ${m.max.toFixed(1)} MiB`);
}
