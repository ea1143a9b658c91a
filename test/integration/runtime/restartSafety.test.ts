import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { INTERRUPTED } from '../../../backend/runtime/reconcile';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { client } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const root = path.resolve(__dirname, '../../..');

/** The real API as its own process, so it can be killed with SIGKILL like a crash would. */
async function spawnApi(dataDir: string): Promise<{ proc: ChildProcess; url: string; http: ReturnType<typeof client> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'backend/main.ts')], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_RUNTIME: 'local', HANGAR_STATUS_POLL_MS: '1000' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start: ${log}`)), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`API exited with ${code}: ${log}`)); });
  });
  const token = fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim();
  return { proc, url, http: client(url, token) };
}

function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart safety: kill -9 the API during a deploy (real API process, real opencode)', function () {
  this.timeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-kill9-'));
  const projectsRoot = path.join(dataDir, 'projects');
  const apis: ChildProcess[] = [];
  let api: Awaited<ReturnType<typeof spawnApi>>;
  let project: Project;

  const start = async () => { api = await spawnApi(dataDir); apis.push(api.proc); };
  const settledProject = () => until('a settled status', async () => {
    const p = (await api.http.get<Project>(`/api/projects/${project.id}`)).body;
    return ['deploying', 'starting', 'stopping'].includes(p.status) ? undefined : p;
  });
  /** The invariant after every restart: nothing stuck, nothing orphaned. */
  const assertReconciled = async (opId: string) => {
    const p = await settledProject();
    const op = (await api.http.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === opId)!;
    assert.ok(op.state === 'failed' && op.error === INTERRUPTED || p.status === 'running', `op ${op.state} (${op.error}); project ${p.status} (${p.statusReason})`);
    assert.ok(op.state !== 'queued' && op.state !== 'running', 'no operation left open');
    const procs = scanProcesses(projectsRoot);
    assert.deepEqual(procs.map((x) => x.projectId), p.status === 'running' ? [project.id] : [], `processes: ${JSON.stringify(procs)}; project ${p.status} (${p.statusReason}); op ${op.state} (${op.error})`);
    return { p, op };
  };

  before(start);
  after(async () => {
    for (const proc of apis) await kill9(proc);
    for (const s of scanProcesses(projectsRoot)) process.kill(-s.pid, 'SIGKILL');
    removeDataDir(dataDir);
  });

  it('right after the 202', async () => {
    project = (await api.http.post<Project>('/api/projects', { name: 'kill me' })).body;
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, {})).body;
    await kill9(api.proc);
    await start();
    await assertReconciled(op.id);
  });

  it('after the process spawned, before it is healthy', async () => {
    const before = new Set(scanProcesses(projectsRoot).map((s) => s.pid));
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body;
    await until('a new opencode process', () => (scanProcesses(projectsRoot).some((s) => !before.has(s.pid)) ? true : undefined), 15_000);
    await kill9(api.proc);
    await start();
    await assertReconciled(op.id);
  });

  it('after it is healthy: the process is re-adopted, not restarted', async () => {
    const op = (await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true })).body;
    const running = await until('running', async () => {
      const p = (await api.http.get<Project>(`/api/projects/${project.id}`)).body;
      return p.status === 'running' ? p : undefined;
    });
    const pids = scanProcesses(projectsRoot).map((s) => s.pid);
    await kill9(api.proc);
    await start();
    const { p } = await assertReconciled(op.id);
    assert.equal(p.status, 'running');
    assert.equal(p.urls.agent, running.urls.agent);
    assert.deepEqual(scanProcesses(projectsRoot).map((s) => s.pid), pids, 'the same process');
  });

  it('removes the process of a project that no longer exists (orphan)', async () => {
    await kill9(api.proc);
    const db = new SQLite(path.join(dataDir, 'hangar.db'));
    db.prepare('delete from projects where id = ?').run(project.id);
    db.close();
    assert.equal(scanProcesses(projectsRoot).length, 1);
    await start();
    assert.deepEqual(scanProcesses(projectsRoot), [], 'the orphan is gone');
    assert.ok(fs.existsSync(path.join(projectsRoot, project.id, 'workspace')), 'its workspace is kept');
  });
});
