// Per runtime: deploy-to-ready next to a floor measured in the same run, plus stop/start/restart.
// local: through the HTTP API, floor = opencode's own cold start; then docker and coolify
// (test/bench/dockerDeploy.ts). `node --import tsx test/bench/deploy.ts`; BENCH_ROUNDS=N;
// BENCH_RUNTIMES=local,docker,coolify (default all three).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../backend/contract';
import { waitForHealthy } from '../../backend/runtime/health';
import { prepareConfigDir } from '../../backend/runtime/local/configDir';
import { freeLoopbackPort } from '../../backend/runtime/local/freePort';
import { killGroup, scanProcesses } from '../../backend/runtime/local/processes';
import { resolveOpencodeBinary } from '../../backend/runtime/local/opencodeBinary';
import { client, startTestApi } from '../integration/support/apiServer';
import { benchCoolify, benchDocker } from './dockerDeploy';
import { fmt, summarize } from './stats';
import { record } from './results';
import { benchLocalWarm } from './warmPool';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const never = new AbortController().signal;

/** opencode alone: spawn → healthy, same isolation and plugin stub as the driver. */
async function coldStart(dir: string): Promise<number> {
  const bin = resolveOpencodeBinary(process.env.HANGAR_OPENCODE_BIN);
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(dir, 'ws'), { recursive: true });
  prepareConfigDir(path.join(dir, 'cfg'), bin.version);
  prepareConfigDir(path.join(home, '.config', 'opencode'), bin.version);
  const port = await freeLoopbackPort();
  const t0 = performance.now();
  const child = spawn(bin.path, ['serve', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: path.join(dir, 'ws'), detached: true, stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'), XDG_STATE_HOME: path.join(home, 'state'), OPENCODE_CONFIG_DIR: path.join(dir, 'cfg'),
      OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1', OPENCODE_SERVER_PASSWORD: 'bench',
    },
  });
  try {
    await waitForHealthy(`http://127.0.0.1:${port}`, 'bench', { signal: never, intervalMs: 20 });
    return performance.now() - t0;
  } finally {
    await killGroup(child.pid!);
  }
}

const RUNTIMES = new Set((process.env.BENCH_RUNTIMES ?? 'local,docker,coolify').split(',').map((s) => s.trim()));

async function main(): Promise<void> {
  if (RUNTIMES.has('local')) await benchLocalWarm(await benchLocal());
  if (RUNTIMES.has('docker')) await benchDocker();
  if (RUNTIMES.has('coolify')) await benchCoolify();
}

/** Returns the median of opencode's cold start alone (the floor of every local figure). */
async function benchLocal(): Promise<number> {
  const api = await startTestApi({ HANGAR_RUNTIME: 'local' });
  const http = client(api.url, api.adminToken);
  const project = (await http.post<Project>('/api/projects', { name: 'bench' })).body;
  const timed = async (action: string, body?: unknown): Promise<number> => {
    const t0 = performance.now();
    const op = (await http.post<Operation>(`/api/projects/${project.id}/${action}`, body)).body;
    if (!op.id) throw new Error(`${action}: ${JSON.stringify(op)}`);
    await api.server.services.operations.settled(project.id);
    const ms = performance.now() - t0;
    const done = (await http.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === op.id);
    if (done?.state !== 'succeeded') throw new Error(`${action} ${done?.state}: ${done?.error}`);
    return ms;
  };
  const samples: Record<string, number[]> = { cold: [], firstDeploy: [], forceDeploy: [], stop: [], start: [], restart: [] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-bench-'));
  try {
    samples.firstDeploy!.push(await timed('deploy', { force: false }));
    for (let i = 0; i < ROUNDS; i++) {
      samples.cold!.push(await coldStart(path.join(tmp, `cold-${i}`)));
      samples.forceDeploy!.push(await timed('deploy', { force: true }));
      samples.stop!.push(await timed('stop'));
      samples.start!.push(await timed('start'));
      samples.restart!.push(await timed('restart'));
    }
  } finally {
    await http.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) process.kill(-s.pid, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
  const floor = summarize(samples.cold!).median;
  const rows: [string, string][] = [];
  const label: Record<string, string> = {
    cold: 'opencode cold start alone (spawn → /global/health)', firstDeploy: 'first deploy (git init, dirs) → ready',
    forceDeploy: 'force deploy → ready', stop: 'stop', start: 'start → ready', restart: 'restart → ready',
  };
  for (const [k, v] of Object.entries(samples)) {
    const s = summarize(v);
    const ratio = k === 'cold' || k === 'stop' ? '' : `  ×${(s.median / floor).toFixed(2)} of cold start`;
    if (k !== 'cold') {
      record({ suite: 'Local runtime lifecycle', name: `${label[k]!}, median`, value: s.median, unit: 'ms',
        baseline: { name: 'opencode cold start', value: floor } });
    }
    rows.push([`${label[k]} (n=${s.n})`, `median ${fmt(s.median)}  max ${fmt(s.max)}${ratio}`]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nLocal runtime lifecycle (${new Date().toISOString()}, node ${process.version}, through the HTTP API, 202 → operation finished)`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  return floor;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
