// Event fan-out: one change, many open event streams (VS Code windows). From POST /api/projects (as the
// client sees it) to the project.created frame at every client; the API's memory per idle client (its RSS,
// read from /proc, with 0 clients as the baseline). Two shapes: 1 user × N windows, and U users × W windows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error -- the harness is plain .mjs without type declarations
import { startApi } from '../harness/api.mjs';
import { closeAgents, openSse, type Stream } from './load';
import { record } from './results';
import { percentile } from './stats';

const ROOT = path.resolve(__dirname, '../..');
const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 1000);
const USERS = Number(process.env.BENCH_FANOUT_USERS ?? 10);
const ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 5);

interface Api { url: string; token: string; dataDir: string; pid: number; stop: () => Promise<void> }

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One idle event stream that notes when a project named `name` is announced to it. */
function openStream(api: Api, token: string, seen: Map<string, number>): Promise<Stream> {
  return openSse(`${api.url}/api/events`, token, (event, data) => {
    const m = event === 'project.created' ? /"name":"(fanout [^"]+)"/.exec(data) : null;
    if (m) seen.set(m[1]!, performance.now());
  });
}

async function createProject(api: Api, token: string, name: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${api.url}/api/projects`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return t;
}

/** Opens `windows` streams for each token, creates one project per user per round, and times delivery. */
async function shape(api: Api, tokens: string[], windows: number, label: string) {
  await sleep(1000);
  const before = rssKiB(api.pid);
  const clients: { token: string; seen: Map<string, number>; req: Stream }[] = [];
  for (const token of tokens) {
    for (let i = 0; i < windows; i++) {
      const seen = new Map<string, number>();
      clients.push({ token, seen, req: await openStream(api, token, seen) });
    }
  }
  await sleep(2000);
  const after = rssKiB(api.pid);
  const delays: number[] = [];
  let missing = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const sent = new Map<string, { name: string; at: number }>();
    for (const [u, token] of tokens.entries()) {
      const name = `fanout ${label} ${r} ${u}`;
      sent.set(token, { name, at: await createProject(api, token, name) });
    }
    await sleep(1500);
    for (const c of clients) {
      const s = sent.get(c.token)!;
      const got = c.seen.get(s.name);
      if (got === undefined) missing++;
      else delays.push(got - s.at);
    }
  }
  for (const c of clients) c.req.close();
  delays.sort((a, b) => a - b);
  return { clients: clients.length, perClientKiB: (after - before) / clients.length, beforeKiB: before, delays, missing };
}

async function main(): Promise<void> {
  const api = (await startApi({ env: { HANGAR_LOG_LEVEL: 'warn', HANGAR_MAX_STREAMS_PER_USER: String(CLIENTS) } })) as Api;
  try {
    const suite = 'Event fan-out';
    const one = await shape(api, [api.token], CLIENTS, 'one');
    const tokens: string[] = [];
    const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(ROOT, 'dist/backend/cli.js'), ...args],
      { env: { ...process.env, HANGAR_DATA_DIR: api.dataDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (let u = 0; u < USERS; u++) {
      cli('user', 'create', `fanout${u}`);
      tokens.push(cli('token', 'create', '--user', `fanout${u}`).trim());
    }
    const many = await shape(api, tokens, Math.round(CLIENTS / USERS), 'many');
    for (const [name, r] of [[`1 user × ${one.clients} windows`, one], [`${USERS} users × ${many.clients / USERS} windows`, many]] as const) {
      record({ suite, name: `${name}: POST /api/projects → event at every client, p95`, value: percentile(r.delays, 95),
        unit: 'ms', baseline: { name: 'p50', value: percentile(r.delays, 50) }, target: 'p95 ≤ 50 ms, 0 missing',
        met: percentile(r.delays, 95) <= 50 && r.missing === 0 });
      record({ suite, name: `${name}: API memory per idle client`, value: r.perClientKiB, unit: 'KiB',
        baseline: { name: 'API RSS with no clients', value: r.beforeKiB }, target: '≤ 20 KiB', met: r.perClientKiB <= 20 });
      console.log(`${name}: delivery p50 ${percentile(r.delays, 50).toFixed(1)} ms, p95 ${percentile(r.delays, 95).toFixed(1)} ms,`
        + ` ${r.missing} missing; API +${r.perClientKiB.toFixed(1)} KiB per idle client (RSS ${(r.beforeKiB / 1024).toFixed(1)} MiB before)`);
    }
  } finally {
    closeAgents();
    await api.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
