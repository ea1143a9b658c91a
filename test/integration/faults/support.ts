// Fault injection without test hooks: the real API runs as a child process and is killed with
// SIGKILL at points the test observes from outside (its event streams), then started again on the
// same data dir; the test then checks what a user would: rows settled with a reason, no orphan
// process, nothing lost.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { client } from '../support/apiServer';
import { readSse, type SseFrame } from '../support/sseReader';
import { testDatabaseEnv } from '../../harness/postgres.mjs';
import { recordCapture, recordDataDir } from '../../harness/scanRegistry.mjs';

const root = path.resolve(__dirname, '../../..');

export type Http = ReturnType<typeof client>;
export type Stream = Awaited<ReturnType<typeof readSse>>;

export interface ApiProcess {
  proc: ChildProcess;
  url: string;
  token: string;
  http: Http;
  log: () => string;
}

export async function spawnApi(dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const database = await testDatabaseEnv(dataDir); // HANGAR_TEST_DATABASE=postgres: its own database
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'backend/main.ts')], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_RUNTIME: 'local', HANGAR_STATUS_POLL_MS: '1000',
      ...database, ...env },
  });
  let log = '';
  // The secrets scan after the suite reads the data dir and this log (test/harness/scanRegistry.mjs).
  recordDataDir(dataDir);
  recordCapture(`the log of the API on ${dataDir}`, () => log);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start: ${log}`)), 60_000);
    proc.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`API exited with ${code}: ${log}`)); });
  });
  const token = fs.readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim();
  return { proc, url, token, http: client(url, token), log: () => log };
}

export function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A point in the API's work, seen on an event stream: the test kills the API right there. */
export interface KillPoint {
  name: string;
  match: (f: SseFrame) => boolean;
}

export const parse = (f: SseFrame) => JSON.parse(f.data ?? '{}') as { type?: string; data?: Record<string, unknown>; properties?: Record<string, unknown> };

/** operation.progress of `kind` whose last step matches `step`. */
export function stepPoint(kind: Operation['kind'], name: string, step: RegExp): KillPoint {
  return {
    name,
    match: (f) => {
      if (f.event !== 'operation.progress' && f.event !== 'operation.finished') return false;
      const op = parse(f).data?.operation as Operation | undefined;
      return op?.kind === kind && step.test(op.steps.at(-1)?.message ?? '');
    },
  };
}

export async function operation(http: Http, projectId: string, opId: string): Promise<Operation | undefined> {
  return (await http.get<OperationList>(`/api/projects/${projectId}/operations`)).body.items.find((o) => o.id === opId);
}

/** Waits for the operation to end; after a restart it never stays queued or running. */
export async function settledOperation(http: Http, projectId: string, opId: string): Promise<Operation> {
  return until(`operation ${opId} to settle`, async () => {
    const op = await operation(http, projectId, opId);
    return op && !['queued', 'running'].includes(op.state) ? op : undefined;
  });
}

export async function settledProject(http: Http, projectId: string): Promise<Project> {
  return until('a settled project status', async () => {
    const p = (await http.get<Project>(`/api/projects/${projectId}`)).body;
    return ['deploying', 'starting', 'stopping'].includes(p.status) ? undefined : p;
  });
}

/** Every process whose working directory is under `dir` (agents, their tools, git). */
export function processesUnder(dir: string): { pid: number; pgid: number; cmd: string }[] {
  const out: { pid: number; pgid: number; cmd: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      if (cwd !== dir && !cwd.startsWith(dir + path.sep)) continue;
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      out.push({ pid: Number(name), pgid: Number(rest[2]), cmd: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').slice(0, 3).join(' ') });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/**
 * The invariant after a restart: the project's runtime rows agree with the processes: running
 * means exactly one agent (its process group holding every process in the data dir), anything
 * else means none, and no git or tool process outlived its API.
 */
export async function assertNoOrphans(dataDir: string, project: Project): Promise<void> {
  const projectsRoot = path.join(dataDir, 'projects');
  const agents = scanProcesses(projectsRoot);
  assert.deepEqual(agents.map((a) => a.projectId), project.status === 'running' ? [project.id] : [], `agents ${JSON.stringify(agents)} for a ${project.status} project (${project.statusReason})`);
  const groups = new Set(agents.map((a) => a.pid));
  // A git started by the killed API may still be finishing; it must end on its own, soon.
  const strays = await until('stray processes to end', () => {
    const s = processesUnder(dataDir).filter((p) => !groups.has(p.pgid));
    return s.length === 0 ? [] : undefined;
  }, 20_000).catch(() => processesUnder(dataDir).filter((p) => !groups.has(p.pgid)));
  assert.deepEqual(strays, [], 'no orphan process in the data dir');
}

/** Opens the user's event stream; the caller closes it (the API's death also ends it). */
export function events(api: ApiProcess): Promise<Stream> {
  return readSse(api.url + '/api/events', api.token);
}
