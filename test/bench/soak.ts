// `npm run bench:soak` (also part of `npm run bench`): 10 projects on the local runtime chatting
// through the fake LLM for HANGAR_SOAK_MINUTES (default 15) against the real API as its own
// process, as the extension would drive it (one user event stream, one agent event stream per
// project, prompt_async, then the turn's session.idle). Figures: the API's RSS and open file
// descriptors after warm-up and at the end (flat means within 10 %), turns and their latency; the same
// for the extension host of a real VS Code window (code-server, test/bench/soakWindow.mjs) connected to
// that API as a user connects, its Hangar view open, following the projects through its event stream.
// Figures, no assertions. HANGAR_SOAK_HEAP_DIR=<dir>: the API writes a heap snapshot there after
// warm-up and at the end (node --heapsnapshot-signal), to find what grows (test/bench/heapDiff.ts);
// writing a snapshot raises the API's RSS itself, so the RSS figures of such a run are not the soak's.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../backend/contract';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { fakeProviderConfig, startFakeLlm } from '../fixtures/fakeLlm/server';
import { client } from '../integration/support/apiServer';
import { readSse } from '../integration/support/sseReader';
import { fmt, summarize } from './stats';
import { record } from './results';
import { openSoakWindow, type SoakWindow } from './soakWindow.mjs';

const ROOT = path.resolve(__dirname, '../..');
const MINUTES = Number(process.env.HANGAR_SOAK_MINUTES ?? 15);
const PROJECTS = Number(process.env.HANGAR_SOAK_PROJECTS ?? 10);
const HEAP_DIR = process.env.HANGAR_SOAK_HEAP_DIR;
/** The API's replay buffers (its defaults: HANGAR_AGENT_EVENT_BUFFER, HANGAR_EVENT_BUFFER). */
const AGENT_BUFFER = Number(process.env.HANGAR_AGENT_EVENT_BUFFER ?? 2000);
const USER_BUFFER = Number(process.env.HANGAR_EVENT_BUFFER ?? 1000);
const REPLY = Array.from({ length: 40 }, (_, i) => `token${i}`).join(' ');

interface Sample { rssMb: number; fds: number }

function sample(pid: number): Sample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { rssMb: kb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

async function spawnApi(dataDir: string): Promise<{ proc: ChildProcess; url: string; token: string }> {
  // The bundled API (as users run it), not tsx: its memory is the product's, not a compiler's.
  const main = path.join(ROOT, 'dist/backend/main.js');
  const entry = fs.existsSync(main) ? [main] : ['--import', 'tsx', path.join(ROOT, 'backend/main.ts')];
  const heap = HEAP_DIR ? [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${HEAP_DIR}`] : [];
  // HANGAR_SOAK_MEMORY_LOG=<file>: the API appends its memory breakdown there every 10 s (bench-only preload).
  const memory = process.env.HANGAR_SOAK_MEMORY_LOG ? ['--import', path.join(__dirname, 'memoryProbe', 'apiMemory.mjs')] : [];
  const proc = spawn(process.execPath, [...heap, ...memory, ...entry], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_RUNTIME: 'local', HANGAR_LOG_LEVEL: 'info' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start: ${log}`)), 60_000);
    proc.stderr!.on('data', (d: Buffer) => {
      if (log.length < 64 * 1024) log += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`API exited with ${code}: ${log}`)); });
  });
  return { proc, url, token: fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim() };
}

/** With HANGAR_SOAK_HEAP_DIR: the API writes a snapshot (it pauses while it does); renamed <label>.heapsnapshot. */
async function heapSnapshot(proc: ChildProcess, label: string): Promise<void> {
  if (!HEAP_DIR) return;
  const before = new Set(fs.readdirSync(HEAP_DIR));
  proc.kill('SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const file = fs.readdirSync(HEAP_DIR).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    // Written when it has content and its size stops changing for 3 s (the API pauses while it writes).
    let size = -1;
    for (let stable = 0; stable < 3;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = fs.statSync(path.join(HEAP_DIR, file)).size;
      stable = now > 0 && now === size ? stable + 1 : 0;
      size = now;
    }
    fs.renameSync(path.join(HEAP_DIR, file), path.join(HEAP_DIR, `${label}.heapsnapshot`));
    console.log(`soak: heap snapshot ${label} (${(size / 1048576).toFixed(1)} MB) in ${HEAP_DIR}`);
    return;
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-soak-'));
  const llm = await startFakeLlm({ defaultReply: REPLY });
  const api = await spawnApi(dataDir);
  const http = client(api.url, api.token);
  const userEvents = await readSse(api.url + '/api/events', api.token);
  let window: SoakWindow | undefined;
  const streams: Awaited<ReturnType<typeof readSse>>[] = [];
  const latencies: number[] = [];
  let failures = 0;
  try {
    // Without a window (code-server cannot start here) the soak still measures the API, and says so.
    window = await openSoakWindow({ apiUrl: api.url, token: api.token, log: (l) => console.log(`soak: ${l}`) })
      .catch((err: unknown) => { console.log(`soak: extension host NOT measured: ${err instanceof Error ? err.message : String(err)}`); return undefined; });
    const projects: Project[] = [];
    for (let i = 0; i < PROJECTS; i++) {
      const p = (await http.post<Project>('/api/projects', { name: `soak ${i}` })).body;
      const ws = path.join(dataDir, 'projects', p.id, 'workspace');
      fs.mkdirSync(ws, { recursive: true });
      const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } } };
      config.provider.fake.options.apiKey = 'fake-key';
      fs.writeFileSync(path.join(ws, 'opencode.json'), JSON.stringify(config));
      projects.push(p);
    }
    // Deploys one after another: the machine is small, and the soak is about steady state.
    for (const p of projects) {
      const op = (await http.post<Operation>(`/api/projects/${p.id}/deploy`, { force: false })).body;
      for (;;) {
        const o = (await http.get<OperationList>(`/api/projects/${p.id}/operations`)).body.items.find((x) => x.id === op.id);
        if (o && o.state === 'succeeded') break;
        if (o && ['failed', 'cancelled'].includes(o.state)) throw new Error(`deploy of ${p.name} ${o.state}: ${o.error}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    console.log(`soak: ${PROJECTS} projects running (${scanProcesses(path.join(dataDir, 'projects')).length} agents); chatting for ${MINUTES} min`);

    /** One chat loop per project: a turn, wait for its session.idle on the project's relayed stream, again. */
    const deadline = { at: 0 };
    const done = new Map<string, number>();
    /** Agent events each project's relayed stream has carried (the API keeps the last AGENT_BUFFER of them). */
    const relayed = new Map<string, number>();
    const loop = async (p: Project) => {
      const base = `/api/projects/${p.id}/opencode`;
      const stream = await readSse(`${api.url}${base}/event`, api.token);
      streams.push(stream);
      const session = (await http.post<{ id: string }>(`${base}/session`, {})).body;
      let turn = 0;
      let dropped = 0;
      while (!deadline.at || Date.now() < deadline.at) {
        const mark = stream.frames.length;
        const t0 = performance.now();
        const res = await http.post(`${base}/session/${session.id}/prompt_async`, { parts: [{ type: 'text', text: `turn ${turn++}` }] });
        if (res.status >= 300) { failures++; continue; }
        try {
          await stream.waitFor((f) => stream.frames.indexOf(f) >= mark && f.event === 'session.idle' && (f.data ?? '').includes(session.id), 120_000);
          latencies.push(performance.now() - t0);
          done.set(p.id, (done.get(p.id) ?? 0) + 1);
        } catch {
          failures++;
        }
        // The stream keeps every frame: drop what is read so the bench's own memory stays flat.
        if (stream.frames.length > 2000) dropped += stream.frames.splice(0, stream.frames.length - 100).length;
        relayed.set(p.id, dropped + stream.frames.length);
      }
    };
    // Warm-up: every project has answered 3 turns (each agent's first turns load its provider and
    // the API's proxy paths), then the first sample; the soak itself lasts MINUTES after that.
    const running = projects.map((p) => loop(p));
    const warmStart = Date.now();
    // The API's replay buffers are bounded but fill as the chat goes (each project's relay keeps its
    // last AGENT_BUFFER agent events, the user's stream its last 1000 events): until they are full
    // the API's memory grows by design (a heap snapshot diff shows just those events), so the
    // steady state, and the first sample, begins once they are.
    while (projects.some((p) => (done.get(p.id) ?? 0) < 3 || (relayed.get(p.id) ?? 0) < AGENT_BUFFER)
      || userEvents.events().length < USER_BUFFER) await new Promise((r) => setTimeout(r, 500));
    const warm = sample(api.proc.pid!);
    const warmHost = window?.sample();
    await heapSnapshot(api.proc, 'warm');
    const warmTurns = latencies.length;
    console.log(`soak: warmed up in ${((Date.now() - warmStart) / 1000).toFixed(0)} s (${warmTurns} turns)`);
    deadline.at = Date.now() + MINUTES * 60_000;
    const mid: Sample[] = [];
    const ticker = setInterval(() => mid.push(sample(api.proc.pid!)), 30_000);
    await Promise.all(running);
    clearInterval(ticker);
    // Let the last turns' streams and sockets settle before the end sample.
    await new Promise((r) => setTimeout(r, 3000));
    const end = sample(api.proc.pid!);
    const endHost = window?.sample();
    await heapSnapshot(api.proc, 'end');
    const s = summarize(latencies);
    const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
    console.log(`soak: ${latencies.length} turns (${latencies.length - warmTurns} after warm-up), ${failures} failed; turn latency median ${fmt(s.median)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}`);
    console.log(`soak: API RSS ${warm.rssMb.toFixed(1)} MB after warm-up -> ${end.rssMb.toFixed(1)} MB at end (${pct(warm.rssMb, end.rssMb)}); peak ${Math.max(...mid.map((m) => m.rssMb), end.rssMb).toFixed(1)} MB`);
    console.log(`soak: API open fds ${warm.fds} -> ${end.fds} (${pct(warm.fds, end.fds)})`);
    if (warmHost && endHost) {
      console.log(`soak: extension host RSS ${warmHost.rssMb.toFixed(1)} MB after warm-up -> ${endHost.rssMb.toFixed(1)} MB at end (${pct(warmHost.rssMb, endHost.rssMb)})`);
      console.log(`soak: extension host open fds ${warmHost.fds} -> ${endHost.fds} (${pct(warmHost.fds, endHost.fds)})`);
    }
    const within = (a: number, b: number) => Math.abs(b - a) <= a * 0.1;
    const flat = within(warm.rssMb, end.rssMb) && within(warm.fds, end.fds);
    const hostFlat = warmHost && endHost ? within(warmHost.rssMb, endHost.rssMb) && within(warmHost.fds, endHost.fds) : undefined;
    console.log(`soak: flat within 10 %: API ${flat ? 'yes' : 'NO'}, extension host ${hostFlat === undefined ? 'not measured' : hostFlat ? 'yes' : 'NO'}`);
    record({ suite: 'Soak', name: `API RSS at the end of ${MINUTES} min of chat`, value: end.rssMb, unit: 'MiB',
      baseline: { name: 'after warm-up', value: warm.rssMb }, target: 'flat within 10 %',
      met: within(warm.rssMb, end.rssMb) });
    record({ suite: 'Soak', name: `API open fds at the end of ${MINUTES} min of chat`, value: end.fds, unit: 'count',
      baseline: { name: 'after warm-up', value: warm.fds }, target: 'flat within 10 %', met: within(warm.fds, end.fds) });
    if (warmHost && endHost) {
      record({ suite: 'Soak', name: `extension host RSS at the end of ${MINUTES} min of chat`, value: endHost.rssMb, unit: 'MiB',
        baseline: { name: 'after warm-up', value: warmHost.rssMb }, target: 'flat within 10 %', met: within(warmHost.rssMb, endHost.rssMb) });
      record({ suite: 'Soak', name: `extension host open fds at the end of ${MINUTES} min of chat`, value: endHost.fds, unit: 'count',
        baseline: { name: 'after warm-up', value: warmHost.fds }, target: 'flat within 10 %', met: within(warmHost.fds, endHost.fds) });
    }
  } finally {
    for (const s of streams) await s.close();
    await userEvents.close();
    await window?.close();
    api.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    for (const a of scanProcesses(path.join(dataDir, 'projects'))) process.kill(-a.pid, 'SIGKILL');
    if (api.proc.exitCode === null) api.proc.kill('SIGKILL');
    await llm.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
