// GitHub sync on a large repository (10,000 commits, 5,000 files, generated with `git fast-import`)
// through the API on the local runtime, next to the same git work done directly with plain git
// against the same loopback GitHub (an identical copy of the repository) in the same run.
// `node --import tsx test/bench/sync.ts`; BENCH_ROUNDS=N (default 5), BENCH_COMMITS, BENCH_FILES.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Operation, Project, SyncStatus } from '../../backend/contract';
import { scanProcesses } from '../../backend/runtime/local/processes';
import { startFakeGithub } from '../fixtures/gitHttp/fakeGithub';
import { startSyncApi, until, workspace } from '../integration/sync/support';
import { fmt, summarize } from './stats';
import { record } from './results';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 10_000);
const FILES = Number(process.env.BENCH_FILES ?? 5_000);
const TOKEN = 'ghp_benchbenchbenchbenchbench';

/** A bare repository with COMMITS commits and FILES files, written by one `git fast-import`. */
async function generate(bare: string): Promise<number> {
  const t0 = performance.now();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['config', 'http.receivepack', 'true'], { cwd: bare });
  const parts: string[] = [];
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const commit = (n: number, body: string) =>
    `commit refs/heads/main\ncommitter Bench <bench@hangar.test> ${1_700_000_000 + n} +0000\n${data(`Commit ${n}`)}${body}`;
  let first = '';
  for (let i = 0; i < FILES; i++) first += `M 100644 inline src/dir${i % 50}/file${i}.txt\n${data(`file ${i}\n`)}`;
  parts.push(commit(1, first));
  for (let n = 2; n <= COMMITS; n++) parts.push(commit(n, `M 100644 inline src/dir${n % 50}/file${n % FILES}.txt\n${data(`file ${n % FILES} revision ${n}\n`)}`));
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: bare, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
    child.stdin.end(parts.join(''));
  });
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const fake = await startFakeGithub({ token: TOKEN });
  const genMs = await generate(path.join(fake.root, 'bench/api.git'));
  fs.cpSync(path.join(fake.root, 'bench/api.git'), path.join(fake.root, 'bench/plain.git'), { recursive: true });
  const api = await startSyncApi({ HANGAR_RUNTIME: 'local' }, fake.caFile);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-bench-sync-'));
  let project: Project | undefined;
  try {
    await api.http.call('PUT', '/api/github/credential', { token: TOKEN, host: `127.0.0.1:${fake.port}` });
    project = (await api.http.post<Project>('/api/projects', { name: 'bench sync', repository: { url: fake.url('127.0.0.1', 'bench/api'), branch: 'main' } })).body;
    const id = project.id;
    const ops = api.server.services.operations;
    const act = async (action: string, body: object = {}) => {
      const res = await api.http.post<{ operation: Operation }>(`/api/projects/${id}/sync/${action}`, body);
      if (res.status !== 202) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
      await ops.settled(id);
    };
    const deploy = await api.http.post<Operation>(`/api/projects/${id}/deploy`, { force: false });
    if (deploy.status !== 202) throw new Error(`deploy: ${deploy.status}`);
    await ops.settled(id);
    const tImport = performance.now();
    await until('the import', async () => (await api.server.services.sync.store.get(id))?.imported_at ? true : undefined, 600_000);
    await ops.settled(id);
    const importMs = performance.now() - tImport;
    const ws = workspace(api, id);

    // Plain git: a clone of the identical copy, with the same CA and header (per command, as Hangar does).
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const env = {
      ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_SSL_CAINFO: fake.caFile, GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${fake.origins[0]}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
      GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@h.test', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@h.test',
    };
    const plain = path.join(scratch, 'plain');
    const tClone = performance.now();
    await run('git', ['clone', '-q', fake.url('127.0.0.1', 'bench/plain'), plain], { env });
    const cloneMs = performance.now() - tClone;
    const git = (...args: string[]) => run('git', args, { cwd: plain, env, maxBuffer: 64 * 1024 * 1024 });

    const samples: Record<string, number[]> = { apiStatus: [], plainStatus: [], apiPush: [], plainPush: [], apiPull: [], plainPull: [] };
    const time = async (key: string, fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      samples[key]!.push(performance.now() - t0);
    };
    for (let r = 0; r < ROUNDS; r++) {
      await time('apiStatus', async () => { await act('fetch'); await api.http.get<SyncStatus>(`/api/projects/${id}/sync`); });
      await time('plainStatus', async () => { await git('fetch', '-q', 'origin'); await git('status', '--porcelain=v2', '--branch'); });

      await ws.commit({ [`src/dir1/file1.txt`]: `api push ${r}\n` }, `API push ${r}`);
      fs.writeFileSync(path.join(plain, 'src/dir1/file1.txt'), `plain push ${r}\n`);
      await git('commit', '-q', '-am', `Plain push ${r}`);
      await time('apiPush', () => act('push'));
      await time('plainPush', () => git('push', '-q', 'origin', 'HEAD:main'));

      fake.commit('bench/api', { [`src/dir2/file2.txt`]: `upstream ${r}\n` }, `Upstream ${r}`);
      fake.commit('bench/plain', { [`src/dir2/file2.txt`]: `upstream ${r}\n` }, `Upstream ${r}`);
      await time('apiPull', () => act('pull'));
      await time('plainPull', () => git('pull', '-q', '--no-edit', '--no-rebase', 'origin', 'main'));
    }
    const status = (await api.http.get<SyncStatus>(`/api/projects/${id}/sync`)).body;
    if (status.ahead !== 0 || status.behind !== 0) throw new Error(`the workspace did not end in sync: ${JSON.stringify(status)}`);

    const rows: [string, string][] = [
      [`repository: ${COMMITS} commits, ${FILES} files (git fast-import)`, `${(genMs / 1000).toFixed(1)} s to generate`],
      ['import through the API (after deploy) / plain git clone', `${fmt(importMs)} / ${fmt(cloneMs)}  ×${(importMs / cloneMs).toFixed(2)}`],
    ];
    for (const [label, a, b] of [
      ['status refresh: POST /sync/fetch + GET /sync  vs  git fetch + git status', 'apiStatus', 'plainStatus'],
      ['push 1 commit: POST /sync/push  vs  git push', 'apiPush', 'plainPush'],
      ['pull 1 commit: POST /sync/pull (merge)  vs  git pull', 'apiPull', 'plainPull'],
    ] as const) {
      const x = summarize(samples[a]!);
      const y = summarize(samples[b]!);
      record({ suite: 'GitHub sync', name: `${label.split(':')[0]!}, median`, value: x.median, unit: 'ms',
        baseline: { name: label.split('vs').at(-1)!.trim(), value: y.median }, target: '≤ ×1.3 of plain git',
        met: x.median <= 1.3 * y.median });
      rows.push([`${label}, n=${x.n}`, `median ${fmt(x.median)} vs ${fmt(y.median)}  ×${(x.median / y.median).toFixed(2)}   (max ${fmt(x.max)} vs ${fmt(y.max)})`]);
    }
    const width = Math.max(...rows.map((row) => row[0].length));
    console.log(`\nGitHub sync benchmark (${new Date().toISOString()}, local runtime, loopback GitHub over https, git ${execFileSync('git', ['--version']).toString().trim().split(' ').pop()})`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    if (project) await api.http.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}&ignoreUnsynced=true`).catch(() => undefined);
    await api.close();
    for (const s of scanProcesses(path.join(api.dataDir, 'projects'))) { try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ } }
    await fake.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
