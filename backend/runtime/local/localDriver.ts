import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../logger';
import type { DeploySpec, ExecResult, Progress, RuntimeDriver, RuntimeStatus } from '../driver';
import type { SecretBox } from '../secretBox';
import { AgentLauncher } from './agentLauncher';
import { agentProcessEnv } from './agentProcessEnv';
import { CgroupLimiter } from './cgroups';
import { prepareConfigDir } from './configDir';
import { LocalDesktop, type DesktopOptions } from './desktop';
import { DesktopSupervisor, type SupervisorOptions } from './desktopSupervisor';
import { resolveOpencodeBinary, type OpencodeBinary } from './opencodeBinary';
import { projectPaths, type ProjectPaths } from './paths';
import { isOurProcess, killGroup, readRecord, scanProcesses, writeRecord, type RuntimeRecord } from './processes';
import { ProcessWatcher } from './processWatcher';
import { fileSize, followFile, tailLines } from './rotatingLog';
import { resolveSandbox, type Sandbox } from './sandbox';
import { sameSpec, SpecStore, type StoredSpec } from './storedSpec';
import { claimWarmAgent } from './warmClaim';
import { LocalWarmPool, type WarmPoolOptions } from './warmPool';
import { execInWorkspace } from './workspaceExec';

const run = promisify(execFile);

export interface LocalDriverOptions {
  dataDir: string;
  /** Seals the stored deploy spec (it holds the server password). */
  box: SecretBox;
  /** HANGAR_OPENCODE_BIN: another opencode executable. */
  opencodeBin?: string;
  log?: Logger;
  cgroupRoot?: string;
  /** How long a start may take to print its "listening" line. */
  startTimeoutMs?: number;
  /** How often adopted processes are checked for life and logs for size. */
  livenessMs?: number;
  /** Xvfb + x11vnc for desktop-tier projects (desktop.ts). */
  desktop?: DesktopOptions;
  /** How agents are confined (sandbox.ts); default: from HANGAR_LOCAL_SANDBOX and CI. */
  sandbox?: Sandbox;
  /** How many desktop restarts within how long before supervision gives up. */
  desktopSupervision?: SupervisorOptions;
  /** Agents started ahead of time for first deploys (warmPool.ts); off when absent or size 0. */
  warmPool?: WarmPoolOptions;
}

/**
 * The embedded runtime: one `opencode serve` process per project on a free loopback port.
 * Processes run detached in their own process group with their output in a file, so they
 * outlive the API; runtime.json lets the next API adopt them. Restart is stop + start of the
 * same workspace: the pid, port and instanceId change (there is no container to keep).
 * Starting is agentLauncher.ts, watching processWatcher.ts; this file is the driver's contract.
 */
export class LocalDriver implements RuntimeDriver {
  readonly name = 'local' as const;
  private readonly root: string;
  private readonly bin: OpencodeBinary;
  private readonly cgroups: CgroupLimiter;
  private readonly desktop: LocalDesktop;
  private readonly sandbox: Sandbox;
  private readonly supervisor: DesktopSupervisor;
  private readonly watcher: ProcessWatcher;
  private readonly launcher: AgentLauncher;
  private readonly specs: SpecStore;
  private warmPool: LocalWarmPool | undefined;

  constructor(private readonly opts: LocalDriverOptions) {
    this.root = path.join(opts.dataDir, 'projects');
    this.bin = resolveOpencodeBinary(opts.opencodeBin);
    this.cgroups = new CgroupLimiter(opts.cgroupRoot);
    this.desktop = new LocalDesktop(opts.desktop);
    this.sandbox = opts.sandbox ?? resolveSandbox({ PATH: process.env.PATH, CI: process.env.CI }, opts.log);
    this.supervisor = new DesktopSupervisor(this.desktop, (id) => this.watcher.pushDesktop(id), opts.desktopSupervision);
    this.specs = new SpecStore(this.root, opts.box);
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.watcher = new ProcessWatcher(this.root, (id) => this.status(id), this.supervisor, opts.livenessMs ?? 1000, opts.log);
    this.launcher = new AgentLauncher({
      root: this.root, bin: this.bin, sandbox: this.sandbox, cgroups: this.cgroups, desktop: this.desktop, supervisor: this.supervisor,
      watcher: this.watcher, baseEnv: (id, p) => this.baseEnv(id, p), startTimeoutMs: opts.startTimeoutMs ?? 60_000,
    });
    if (opts.warmPool?.size) this.startPool(opts.warmPool.size);
  }

  /** The warm pool, while its size is above 0. */
  get pool(): LocalWarmPool | undefined {
    return this.warmPool;
  }

  async resizeWarmPool(size: number): Promise<void> {
    if (this.warmPool) await this.warmPool.resize(size);
    else if (size > 0) this.startPool(size);
  }

  warmPoolState(): { size: number; ready: number; starting: number } {
    const { ready, starting } = this.warmPool?.stats() ?? { ready: 0, starting: 0 };
    return { size: this.warmPool?.size ?? 0, ready, starting };
  }

  private startPool(size: number): void {
    const onExit = (id: string, pid: number, how: string) => this.watcher.exited(id, pid, how);
    this.warmPool = new LocalWarmPool(path.join(this.opts.dataDir, 'pool'), { size, env: this.opts.warmPool?.env ?? {} }, {
      bin: this.bin, sandbox: this.sandbox, startTimeoutMs: this.opts.startTimeoutMs ?? 60_000, onExit, log: this.opts.log,
    });
    this.warmPool.start().catch((err: unknown) => this.opts.log?.warn('local runtime: the warm pool did not start', { error: String(err) }));
  }

  async claimWarm(spec: DeploySpec, progress: Progress): Promise<{ status: RuntimeStatus; opencodePassword: string } | undefined> {
    if (!this.warmPool?.size || (await this.status(spec.projectId)).state !== 'absent') return undefined;
    const deps = { root: this.root, pool: this.warmPool, cgroups: this.cgroups, sandbox: this.sandbox, specs: this.specs, watcher: this.watcher };
    const claimed = claimWarmAgent(deps, spec, progress);
    return claimed && { status: await this.status(spec.projectId), opencodePassword: claimed.password };
  }

  async deploy(spec: DeploySpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const p = projectPaths(this.root, spec.projectId);
    for (const dir of [p.root, p.workspace, p.home, p.logsDir, p.configDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(path.join(p.workspace, '.git'))) {
      await run('git', ['init', '-q', '-b', 'main'], { cwd: p.workspace });
      progress('Created the git workspace');
    }
    prepareConfigDir(p.configDir, this.bin.version, { hangarPlugin: true });
    prepareConfigDir(path.join(p.home, '.config', 'opencode'), this.bin.version);
    const next: StoredSpec = { slug: spec.slug, tier: spec.tier, env: spec.env };
    const current = this.specs.read(spec.projectId);
    const status = await this.status(spec.projectId);
    if (status.state === 'running') {
      // A desktop tier whose desktop is down (supervision gave up) is replaced: that is what Redeploy is for.
      const desktopDown = (spec.tier.imageType === 'desktop' || spec.tier.hasDesktopAccess) && !status.vncUrl && !this.desktop.missing();
      if (!spec.force && !desktopDown && current && sameSpec(current, next)) {
        progress('Already running with this configuration');
        return status;
      }
      progress(spec.force ? 'Force deploy: replacing the running process' : 'Configuration changed: replacing the running process');
      await this.stop(spec.projectId, progress);
    }
    this.specs.write(spec.projectId, next);
    return this.launch(spec.projectId, next, progress, signal);
  }

  async start(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const status = await this.status(projectId);
    if (status.state === 'running') {
      progress('Already running');
      return status;
    }
    const spec = this.specs.read(projectId);
    if (!spec) throw new Error('this project has not been deployed on the local runtime; deploy it first');
    return this.launch(projectId, spec, progress, signal);
  }

  async stop(projectId: string, progress: Progress): Promise<RuntimeStatus> {
    const p = projectPaths(this.root, projectId);
    const record = readRecord(p.runtimeFile);
    const pids = new Set(scanProcesses(this.root).filter((s) => s.projectId === projectId).map((s) => s.pid));
    if (record?.pid && isOurProcess(record)) pids.add(record.pid);
    for (const pid of pids) {
      this.watcher.markStopping(pid);
      const how = await killGroup(pid);
      this.watcher.untrack(projectId);
      if (how !== 'gone') progress(`Stopped opencode (pid ${pid}${how === 'killed' ? ', killed after 5 s' : ''})`);
    }
    if (record || fs.existsSync(p.specFile)) {
      writeRecord(p.runtimeFile, { v: 1, state: 'stopped', pid: null, port: null, instanceId: record?.instanceId ?? null, startedAt: null, procStart: null, notes: record?.notes ?? [] });
    }
    await this.supervisor.forget(projectId);
    if (await this.desktop.stop(p)) progress('Stopped the desktop (Xvfb, x11vnc)');
    await this.cgroups.release(projectId);
    return this.status(projectId);
  }

  async restart(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    await this.stop(projectId, progress);
    return this.start(projectId, progress, signal);
  }

  async remove(projectId: string, opts: { volumes: boolean }, progress: Progress): Promise<void> {
    const p = projectPaths(this.root, projectId);
    await this.stop(projectId, progress);
    if (opts.volumes) {
      fs.rmSync(p.root, { recursive: true, force: true, maxRetries: 3 });
      progress('Removed the project folder and its workspace');
      return;
    }
    for (const f of [p.runtimeFile, p.specFile, p.home, p.configDir, p.logsDir]) fs.rmSync(f, { recursive: true, force: true, maxRetries: 3 });
    progress(fs.existsSync(p.workspace) ? `Removed the process; kept the workspace at ${p.workspace}` : 'Removed the process');
  }

  async status(projectId: string): Promise<RuntimeStatus> {
    const p = projectPaths(this.root, projectId);
    const record = readRecord(p.runtimeFile);
    if (!record) {
      const stray = scanProcesses(this.root).find((s) => s.projectId === projectId);
      if (stray) return { state: 'running', reason: `untracked opencode process (pid ${stray.pid}) without runtime.json`, instanceId: `pid:${stray.pid}` };
      return { state: fs.existsSync(p.specFile) ? 'created' : 'absent' };
    }
    const base = { instanceId: record.instanceId ?? undefined, unenforced: record.notes };
    if (!(record.pid && isOurProcess(record))) {
      // The API can die between spawning a process and recording it: such a process is ours too.
      const stray = scanProcesses(this.root).find((s) => s.projectId === projectId);
      if (stray) return { state: 'running', reason: `untracked opencode process (pid ${stray.pid}) not in runtime.json`, instanceId: `pid:${stray.pid}` };
    }
    if (record.state === 'stopped') return { state: 'stopped', ...base };
    if (record.pid && isOurProcess(record)) {
      if (!this.watcher.isTracked(projectId)) this.watcher.track(projectId, record.pid);
      const vncUrl = this.desktop.status(p)?.vncUrl;
      const desktop = this.supervisor.health(projectId, p);
      const reason = desktop && (desktop.state === 'failed' || desktop.restarts > 0) ? desktop.reason : undefined;
      return {
        state: 'running', agentUrl: `http://127.0.0.1:${record.port}`, ...(vncUrl ? { vncUrl } : {}), ...(desktop ? { desktop } : {}), ...(reason ? { reason } : {}), ...base,
      };
    }
    return { state: 'exited', reason: this.watcher.exitReason(projectId, record.pid), ...base };
  }

  async logs(projectId: string, tail: number): Promise<string[]> {
    return tailLines(projectPaths(this.root, projectId).logFile, tail).lines;
  }

  /** Log lines and whether older ones exist, for the API's LogLines. */
  tail(projectId: string, tail: number): { lines: string[]; truncated: boolean } {
    return tailLines(projectPaths(this.root, projectId).logFile, tail);
  }

  async followLogs(projectId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const file = projectPaths(this.root, projectId).logFile;
    await followFile(file, fileSize(file), onLine, signal);
  }

  async exec(projectId: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExecResult> {
    const p = projectPaths(this.root, projectId);
    return execInWorkspace(p.workspace, argv, { ...this.baseEnv(projectId, p), ...opts.env }, opts);
  }

  async list(): Promise<{ projectId: string; status: RuntimeStatus }[]> {
    const ids = new Set<string>();
    for (const name of fs.readdirSync(this.root)) {
      const p = projectPaths(this.root, name);
      if (fs.existsSync(p.runtimeFile) || fs.existsSync(p.specFile)) ids.add(name);
    }
    for (const s of scanProcesses(this.root)) ids.add(s.projectId);
    return Promise.all([...ids].map(async (projectId) => ({ projectId, status: await this.status(projectId) })));
  }

  watch(onChange: (projectId: string, status: RuntimeStatus) => void): () => void {
    return this.watcher.watch(onChange);
  }

  /** Leaves the projects' processes running (the next API adopts them); stops the unclaimed pooled ones. */
  async close(): Promise<void> {
    this.watcher.close();
    await this.warmPool?.close();
  }

  private launch(projectId: string, spec: StoredSpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    return this.launcher.launch(projectId, spec, progress, signal, () => this.status(projectId));
  }

  private baseEnv(projectId: string, p: ProjectPaths): Record<string, string> {
    return agentProcessEnv(this.root, projectId, p);
  }
}

export type { RuntimeRecord };
