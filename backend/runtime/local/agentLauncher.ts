import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Progress, RuntimeStatus } from '../driver';
import { abortError } from '../timing';
import type { CgroupLimiter } from './cgroups';
import type { LocalDesktop } from './desktop';
import type { DesktopSupervisor } from './desktopSupervisor';
import { freeLoopbackPort } from './freePort';
import type { OpencodeBinary } from './opencodeBinary';
import { projectPaths, type ProjectPaths } from './paths';
import { isAlive, killGroup, procStartTime, writeRecord } from './processes';
import type { ProcessWatcher } from './processWatcher';
import { fileSize, rotateIfNeeded, tailLines, waitForLine } from './rotatingLog';
import type { Sandbox } from './sandbox';
import type { StoredSpec } from './storedSpec';

const LISTENING = /opencode server listening on /;

export interface LauncherDeps {
  root: string;
  bin: OpencodeBinary;
  sandbox: Sandbox;
  cgroups: CgroupLimiter;
  desktop: LocalDesktop;
  supervisor: DesktopSupervisor;
  watcher: ProcessWatcher;
  /** The agent's environment without the spec's (agentProcessEnv.ts). */
  baseEnv: (projectId: string, p: ProjectPaths) => Record<string, string>;
  /** How long a start may take to print its "listening" line. */
  startTimeoutMs: number;
}

/** One started `opencode serve`: its process group leader and loopback port. */
export interface SpawnedAgent {
  pid: number;
  port: number;
}

/**
 * Starts `opencode serve` in the sandbox on a free loopback port with its output in the log file,
 * detached in its own process group, and waits for its "listening" line. A failed or cancelled
 * start kills the group; `onSpawned` records the pid before anything can wait.
 */
export async function spawnAgent(
  deps: Pick<LauncherDeps, 'bin' | 'sandbox' | 'startTimeoutMs'>, p: ProjectPaths, env: Record<string, string>, signal: AbortSignal,
  hooks: { onSpawned: (pid: number, port: number, exit: Promise<string>) => void; howExited?: (pid: number) => string | undefined; beforeKill?: (pid: number) => void },
): Promise<SpawnedAgent> {
  const port = await freeLoopbackPort();
  rotateIfNeeded(p.logFile);
  fs.appendFileSync(p.logFile, `--- hangar: starting opencode on 127.0.0.1:${port} at ${new Date().toISOString()} ---\n`);
  const from = fileSize(p.logFile);
  const fd = fs.openSync(p.logFile, 'a');
  let child;
  try {
    const argv = deps.sandbox.wrap(deps.bin.path, ['serve', '--hostname', '127.0.0.1', '--port', String(port), '--print-logs'], p);
    child = spawn(argv.cmd, argv.args, { cwd: p.workspace, env, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  const pid = child.pid;
  if (!pid) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`cannot start ${deps.bin.path}: ${err.message}`);
  }
  let exitHow: string | undefined;
  const exit = new Promise<string>((resolve) => child.once('exit', (code, sig) => {
    exitHow = sig ? `killed by ${sig}` : `exited with code ${code}`;
    resolve(exitHow);
  }));
  child.unref();
  hooks.onSpawned(pid, port, exit);
  try {
    await waitForLine(p.logFile, from, LISTENING, {
      signal,
      timeoutMs: deps.startTimeoutMs,
      stop: () => (isAlive(pid) ? undefined : `opencode ${hooks.howExited?.(pid) ?? exitHow ?? 'exited'} before listening`),
    });
  } catch (err) {
    hooks.beforeKill?.(pid);
    await killGroup(pid, 2000);
    if (signal.aborted) throw abortError(signal);
    const lines = tailLines(p.logFile, 15).lines.join('\n');
    throw new Error(`${(err as Error).message}; last log lines:\n${lines}`, { cause: err });
  }
  return { pid, port };
}

/** Starts one project's agent (and its desktop, for desktop tiers) under its tier's limits. */
export class AgentLauncher {
  constructor(private readonly deps: LauncherDeps) {}

  async launch(projectId: string, spec: StoredSpec, progress: Progress, signal: AbortSignal, status: () => Promise<RuntimeStatus>): Promise<RuntimeStatus> {
    if (signal.aborted) throw abortError(signal);
    const { cgroups, supervisor, watcher } = this.deps;
    const p = projectPaths(this.deps.root, projectId);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const { groups, notes } = cgroups.prepare(projectId, spec.tier);
    notes.push(`storage limit ${spec.tier.storageGb} GB not enforced: the local runtime has no disk quota`);
    if (this.deps.sandbox.note) notes.push(this.deps.sandbox.note);
    await supervisor.forget(projectId);
    const display = spec.tier.imageType === 'desktop' || spec.tier.hasDesktopAccess ? await this.startDesktop(p, notes, progress, signal) : undefined;
    const instanceId = randomUUID();
    try {
      const env = { ...this.deps.baseEnv(projectId, p), ...spec.env, ...(display ? { DISPLAY: display } : {}) };
      const { pid, port } = await spawnAgent(this.deps, p, env, signal, {
        howExited: (pid) => watcher.howExited(pid),
        beforeKill: (pid) => watcher.markStopping(pid),
        onSpawned: (pid, port, exit) => {
          // Recorded before anything can fail or wait, so a restarted API finds this process.
          writeRecord(p.runtimeFile, { v: 1, state: 'running', pid, port, instanceId, startedAt: new Date().toISOString(), procStart: procStartTime(pid), notes });
          notes.push(...cgroups.join(groups, pid));
          watcher.track(projectId, pid);
          void exit.then((how) => watcher.exited(projectId, pid, how));
          progress(`Started opencode (pid ${pid}, port ${port})`);
        },
      });
      writeRecord(p.runtimeFile, { v: 1, state: 'running', pid, port, instanceId, startedAt: new Date().toISOString(), procStart: procStartTime(pid), notes });
      progress(`opencode is listening on 127.0.0.1:${port}`);
      return await status();
    } catch (err) {
      if (signal.aborted) writeRecord(p.runtimeFile, { v: 1, state: 'stopped', pid: null, port: null, instanceId, startedAt: null, procStart: null, notes });
      throw err;
    }
  }

  /** The desktop's DISPLAY, or a note saying why there is none (the project runs without it). */
  private async startDesktop(p: ProjectPaths, notes: string[], progress: Progress, signal: AbortSignal): Promise<string | undefined> {
    const { desktop } = this.deps;
    const missing = desktop.missing();
    if (missing) {
      notes.push(missing);
      progress(`Note: ${missing}`);
      return undefined;
    }
    try {
      const d = await desktop.start(p, signal);
      progress(`Started the desktop: Xvfb on display :${d.display}, x11vnc on a private socket (reached only through the API)`);
      return `:${d.display}`;
    } catch (err) {
      if (signal.aborted) throw err;
      const why = `desktop (VNC) not available: ${(err as Error).message}`;
      notes.push(why);
      progress(`Note: ${why}`);
      return undefined;
    }
  }
}
