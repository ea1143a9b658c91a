import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../logger';
import type { DeploySpec, ExecResult, Progress, RuntimeDriver, RuntimeStatus } from '../driver';
import type { SecretBox } from '../secretBox';
import { CgroupLimiter } from './cgroups';
import { prepareConfigDir } from './configDir';
import { freeLoopbackPort } from './freePort';
import { resolveOpencodeBinary, type OpencodeBinary } from './opencodeBinary';
import { projectPaths, type ProjectPaths } from './paths';
import { ENV_PROJECT, ENV_ROOT, isAlive, isOurProcess, killGroup, procStartTime, readRecord, scanProcesses, writeRecord, type RuntimeRecord } from './processes';
import { abortError } from '../timing';
import { fileSize, followFile, rotateIfNeeded, tailLines, waitForLine } from './rotatingLog';
import { LocalDesktop, type DesktopOptions } from './desktop';
import { resolveSandbox, type Sandbox } from './sandbox';
import { DesktopSupervisor, type SupervisorOptions } from './desktopSupervisor';

const run = promisify(execFile);
const LISTENING = /opencode server listening on /;

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
}

interface StoredSpec {
  slug: string;
  tier: DeploySpec['tier'];
  env: Record<string, string>;
}

/**
 * The embedded runtime: one `opencode serve` process per project on a free loopback port.
 * Processes run detached in their own process group with their output in a file, so they
 * outlive the API; runtime.json lets the next API adopt them. Restart is stop + start of the
 * same workspace: the pid, port and instanceId change (there is no container to keep).
 */
export class LocalDriver implements RuntimeDriver {
  readonly name = 'local' as const;
  private readonly root: string;
  private readonly bin: OpencodeBinary;
  private readonly cgroups: CgroupLimiter;
  private readonly desktop: LocalDesktop;
  private readonly sandbox: Sandbox;
  private readonly supervisor: DesktopSupervisor;
  private readonly listeners = new Set<(projectId: string, status: RuntimeStatus) => void>();
  /** Live processes this API watches (its own children and adopted ones). */
  private readonly tracked = new Map<string, number>();
  /** Pids Hangar itself is stopping: their exit is not a crash. */
  private readonly stopping = new Set<number>();
  private readonly exitInfo = new Map<number, string>();
  /** Pids whose end was already reported (the exit event and the liveness tick both see it). */
  private readonly reported = new Set<number>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;

  constructor(private readonly opts: LocalDriverOptions) {
    this.root = path.join(opts.dataDir, 'projects');
    this.bin = resolveOpencodeBinary(opts.opencodeBin);
    this.cgroups = new CgroupLimiter(opts.cgroupRoot);
    this.desktop = new LocalDesktop(opts.desktop);
    this.sandbox = opts.sandbox ?? resolveSandbox({ PATH: process.env.PATH, CI: process.env.CI }, opts.log);
    this.supervisor = new DesktopSupervisor(this.desktop, (id) => this.pushDesktop(id), opts.desktopSupervision);
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.timer = setInterval(() => this.tick(), opts.livenessMs ?? 1000);
    this.timer.unref();
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
    const current = this.readSpec(spec.projectId);
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
    fs.writeFileSync(p.specFile, this.opts.box.seal(JSON.stringify(next), specContext(spec.projectId)), { mode: 0o600 });
    return this.launch(spec.projectId, next, progress, signal);
  }

  async start(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    const status = await this.status(projectId);
    if (status.state === 'running') {
      progress('Already running');
      return status;
    }
    const spec = this.readSpec(projectId);
    if (!spec) throw new Error('this project has not been deployed on the local runtime; deploy it first');
    return this.launch(projectId, spec, progress, signal);
  }

  async stop(projectId: string, progress: Progress): Promise<RuntimeStatus> {
    const p = projectPaths(this.root, projectId);
    const record = readRecord(p.runtimeFile);
    const pids = new Set(scanProcesses(this.root).filter((s) => s.projectId === projectId).map((s) => s.pid));
    if (record?.pid && isOurProcess(record)) pids.add(record.pid);
    for (const pid of pids) {
      this.stopping.add(pid);
      const how = await killGroup(pid);
      this.tracked.delete(projectId);
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
      if (!this.tracked.has(projectId)) this.tracked.set(projectId, record.pid);
      const vncUrl = this.desktop.status(p)?.vncUrl;
      const desktop = this.supervisor.health(projectId, p);
      const reason = desktop && (desktop.state === 'failed' || desktop.restarts > 0) ? desktop.reason : undefined;
      return {
        state: 'running', agentUrl: `http://127.0.0.1:${record.port}`, ...(vncUrl ? { vncUrl } : {}), ...(desktop ? { desktop } : {}), ...(reason ? { reason } : {}), ...base,
      };
    }
    return { state: 'exited', reason: this.exitReason(projectId, record.pid), ...base };
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
    const [cmd, ...args] = argv;
    if (!cmd) throw new Error('exec needs a command');
    const cwd = path.resolve(p.workspace, opts.cwd ?? '.');
    if (cwd !== p.workspace && !cwd.startsWith(p.workspace + path.sep)) throw new Error(`exec cwd ${opts.cwd} is outside the workspace`);
    try {
      const { stdout, stderr } = await run(cmd, args, {
        cwd, env: { ...this.baseEnv(projectId, p), ...opts.env }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8',
      });
      return { exitCode: 0, stdout, stderr };
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { code?: string | number; stdout?: string; stderr?: string; killed?: boolean };
      if (typeof e.code === 'number') return { exitCode: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      if (e.killed) return { exitCode: 124, stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}\ntimed out after ${opts.timeoutMs ?? 60_000} ms` };
      throw err;
    }
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
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Leaves the processes running: the next API adopts them. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private async launch(projectId: string, spec: StoredSpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus> {
    if (signal.aborted) throw abortError(signal);
    const p = projectPaths(this.root, projectId);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const { groups, notes } = this.cgroups.prepare(projectId, spec.tier);
    notes.push(`storage limit ${spec.tier.storageGb} GB not enforced: the local runtime has no disk quota`);
    if (this.sandbox.note) notes.push(this.sandbox.note);
    await this.supervisor.forget(projectId);
    const display = spec.tier.imageType === 'desktop' || spec.tier.hasDesktopAccess ? await this.startDesktop(p, notes, progress, signal) : undefined;
    const port = await freeLoopbackPort();
    rotateIfNeeded(p.logFile);
    fs.appendFileSync(p.logFile, `--- hangar: starting opencode on 127.0.0.1:${port} at ${new Date().toISOString()} ---\n`);
    const from = fileSize(p.logFile);
    const fd = fs.openSync(p.logFile, 'a');
    let child;
    try {
      const argv = this.sandbox.wrap(this.bin.path, ['serve', '--hostname', '127.0.0.1', '--port', String(port), '--print-logs'], p);
      child = spawn(argv.cmd, argv.args, {
        cwd: p.workspace, env: { ...this.baseEnv(projectId, p), ...spec.env, ...(display ? { DISPLAY: display } : {}) }, detached: true, stdio: ['ignore', fd, fd],
      });
    } finally {
      fs.closeSync(fd);
    }
    const pid = child.pid;
    if (!pid) {
      const err = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start ${this.bin.path}: ${err.message}`);
    }
    // Recorded before anything can fail or wait, so a restarted API finds this process.
    const instanceId = randomUUID();
    writeRecord(p.runtimeFile, { v: 1, state: 'running', pid, port, instanceId, startedAt: new Date().toISOString(), procStart: procStartTime(pid), notes });
    notes.push(...this.cgroups.join(groups, pid));
    child.unref();
    this.tracked.set(projectId, pid);
    child.once('exit', (code, sig) => {
      this.exitInfo.set(pid, sig ? `killed by ${sig}` : `exited with code ${code}`);
      this.onGone(projectId, pid);
    });
    progress(`Started opencode (pid ${pid}, port ${port})`);
    try {
      await waitForLine(p.logFile, from, LISTENING, {
        signal,
        timeoutMs: this.opts.startTimeoutMs ?? 60_000,
        stop: () => (isAlive(pid) ? undefined : `opencode ${this.exitInfo.get(pid) ?? 'exited'} before listening`),
      });
    } catch (err) {
      this.stopping.add(pid);
      await killGroup(pid, 2000);
      if (signal.aborted) {
        writeRecord(p.runtimeFile, { v: 1, state: 'stopped', pid: null, port: null, instanceId, startedAt: null, procStart: null, notes });
        throw abortError(signal);
      }
      const lines = tailLines(p.logFile, 15).lines.join('\n');
      throw new Error(`${(err as Error).message}; last log lines:\n${lines}`, { cause: err });
    }
    writeRecord(p.runtimeFile, { v: 1, state: 'running', pid, port, instanceId, startedAt: new Date().toISOString(), procStart: procStartTime(pid), notes });
    progress(`opencode is listening on 127.0.0.1:${port}`);
    return this.status(projectId);
  }

  /** The desktop's DISPLAY, or a note saying why there is none (the project runs without it). */
  private async startDesktop(p: ProjectPaths, notes: string[], progress: Progress, signal: AbortSignal): Promise<string | undefined> {
    const missing = this.desktop.missing();
    if (missing) {
      notes.push(missing);
      progress(`Note: ${missing}`);
      return undefined;
    }
    try {
      const d = await this.desktop.start(p, signal);
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

  /** Only what opencode needs: never the API's own environment (it may hold the encryption key). */
  private baseEnv(projectId: string, p: ProjectPaths): Record<string, string> {
    const keep = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TERM', 'TMPDIR'];
    const env: Record<string, string> = {};
    for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
    return {
      ...env,
      HOME: p.home,
      XDG_CONFIG_HOME: path.join(p.home, '.config'),
      XDG_DATA_HOME: path.join(p.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(p.home, '.cache'),
      XDG_STATE_HOME: path.join(p.home, '.local', 'state'),
      OPENCODE_CONFIG_DIR: p.configDir,
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      [ENV_ROOT]: this.root,
      [ENV_PROJECT]: projectId,
    };
  }

  private readSpec(projectId: string): StoredSpec | undefined {
    const file = projectPaths(this.root, projectId).specFile;
    if (!fs.existsSync(file)) return undefined;
    return JSON.parse(this.opts.box.open(fs.readFileSync(file, 'utf8').trim(), specContext(projectId))) as StoredSpec;
  }

  private exitReason(projectId: string, pid: number | null): string {
    const how = pid ? this.exitInfo.get(pid) ?? `(pid ${pid}) is gone` : 'is not running';
    const lines = tailLines(projectPaths(this.root, projectId).logFile, 15).lines;
    return `opencode ${how}; last log lines:\n${lines.join('\n')}`;
  }

  private onGone(projectId: string, pid: number): void {
    if (this.tracked.get(projectId) === pid) this.tracked.delete(projectId);
    if (this.reported.has(pid)) return;
    this.reported.add(pid);
    if (this.stopping.delete(pid)) return;
    void this.status(projectId).then((status) => {
      if (status.state === 'running') return; // already replaced by a newer process
      for (const l of this.listeners) l(projectId, status);
    }).catch((err: unknown) => this.opts.log?.warn('local runtime: status after exit failed', { projectId, error: String(err) }));
  }

  /** The desktop's supervision changed something: the project's row and panel learn it at once. */
  private pushDesktop(projectId: string): void {
    void this.status(projectId).then((status) => {
      if (status.state !== 'running') return;
      for (const l of this.listeners) l(projectId, status);
    }).catch((err: unknown) => this.opts.log?.warn('local runtime: desktop status failed', { projectId, error: String(err) }));
  }

  private tick(): void {
    this.ticks++;
    for (const [projectId, pid] of this.tracked) {
      if (!isAlive(pid)) {
        this.onGone(projectId, pid);
        continue;
      }
      try {
        this.supervisor.check(projectId, projectPaths(this.root, projectId));
      } catch (err) {
        this.opts.log?.warn('local runtime: desktop check failed', { projectId, error: String(err) });
      }
      if (this.ticks % 10 === 0) {
        try {
          rotateIfNeeded(projectPaths(this.root, projectId).logFile);
        } catch (err) {
          this.opts.log?.warn('local runtime: log rotation failed', { projectId, error: String(err) });
        }
      }
    }
  }
}

function specContext(projectId: string): string {
  return `local-spec:${projectId}`;
}

/** Equal when what the process is started with is equal (not tier names, counts or times). */
function sameSpec(a: StoredSpec, b: StoredSpec): boolean {
  const key = (s: StoredSpec) => {
    const { cpus, memory, memoryReservation, storageGb, hasDesktopAccess, imageType, exposedPorts } = s.tier;
    return JSON.stringify([cpus, memory, memoryReservation, storageGb, hasDesktopAccess, imageType, exposedPorts, Object.entries(s.env).sort()]);
  };
  return key(a) === key(b);
}

export type { RuntimeRecord };
