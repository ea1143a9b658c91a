import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../logger';
import { spawnAgent, type LauncherDeps } from './agentLauncher';
import { agentProcessEnv } from './agentProcessEnv';
import { prepareConfigDir } from './configDir';
import { projectPaths, type ProjectPaths } from './paths';
import { killGroup, scanProcesses } from './processes';

const run = promisify(execFile);

/** Where a claimed agent's plugin finds its project's webhook target (media/opencode-plugin). */
export const BINDING_FILE = 'hangar-binding.json';
/** Pool starts that may fail in a row before refilling stops (a broken opencode must not loop). */
const MAX_FAILURES = 3;

export interface WarmPoolOptions {
  /** How many agents to keep started (HANGAR_WARM_POOL_LOCAL); 0 = off. */
  size: number;
  /** What every agent starts with that is not a project's (OPENCODE_CONFIG_CONTENT): a claim needs the same. */
  env: Record<string, string>;
}

/** One pooled agent: a process with its own fresh folders and password, never used by anyone yet. */
interface Slot {
  id: string;
  p: ProjectPaths;
  password: string;
  ready: boolean;
  pid?: number;
  port?: number;
  /** The project that claimed it: its exit is then that project's. */
  owner?: string;
}

/** What a claim hands the driver: the agent, its folders (to move into the project's) and its password. */
export interface ClaimedAgent {
  pid: number;
  port: number;
  password: string;
  paths: ProjectPaths;
}

/**
 * Agents started ahead of time with a neutral workspace (empty git repository, no session, no
 * provider, a password nobody else has), each in its own sandbox and folders under <dataDir>/pool.
 * A claim takes a ready one out of the pool for good (it is never given back), and the pool refills
 * one agent at a time in the background. Limits, credentials, the project's workspace and webhook
 * target are bound at claim time by the driver; nothing here outlives an API restart (start()
 * kills and wipes what a previous API left).
 */
export class LocalWarmPool {
  private readonly slots = new Map<string, Slot>();
  private filling: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private target: number;

  constructor(
    private readonly root: string,
    private readonly opts: WarmPoolOptions,
    private readonly deps: Pick<LauncherDeps, 'bin' | 'sandbox' | 'startTimeoutMs'> & {
      /** A claimed agent ended: reported as its project's. */
      onExit: (projectId: string, pid: number, how: string) => void;
      log?: Logger;
    },
  ) {
    this.target = opts.size;
  }

  get size(): number {
    return this.target;
  }

  /** A new size (the API's setting): grows in the background, shrinks at once by stopping unclaimed agents. */
  async resize(size: number): Promise<void> {
    this.target = size;
    this.failures = 0;
    const extra = [...this.slots.values()].sort((a, b) => Number(a.ready) - Number(b.ready))
      .slice(0, Math.max(0, this.slots.size - size));
    for (const slot of extra) this.slots.delete(slot.id);
    await Promise.all(extra.map((slot) => this.discard(slot)));
    this.refill();
  }

  /** Pooled agents: started (`ready`) and still starting, with their pids (for memory figures). */
  stats(): { ready: number; starting: number; pids: number[] } {
    const all = [...this.slots.values()];
    return {
      ready: all.filter((s) => s.ready).length,
      starting: all.filter((s) => !s.ready).length,
      pids: all.flatMap((s) => (s.pid ? [s.pid] : [])),
    };
  }

  /**
   * Kills and wipes the unclaimed agents an earlier API left in the pool, then fills it in the
   * background. A claimed agent keeps its pool marker but its pool path is a link to its project's
   * folder: it is its project's now, and runs on.
   */
  async start(): Promise<void> {
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
    const claimed = (name: string) =>
      fs.lstatSync(path.join(this.root, name), { throwIfNoEntry: false })?.isSymbolicLink() === true;
    await Promise.all(scanProcesses(this.root).filter((s) => !claimed(s.projectId)).map((s) => killGroup(s.pid, 2000)));
    for (const name of fs.readdirSync(this.root)) {
      if (!claimed(name)) fs.rmSync(path.join(this.root, name), { recursive: true, force: true, maxRetries: 3 });
    }
    this.refill();
  }

  /** Resolves when the pool is full (or refilling gave up); for benchmarks and tests. */
  async whenFull(): Promise<void> {
    while (this.filling) await this.filling;
  }

  /** Whether an agent from this pool can serve a deploy with this environment. */
  fits(env: Record<string, string>): boolean {
    return Object.entries(this.opts.env).every(([k, v]) => env[k] === v);
  }

  /**
   * A ready agent for `projectId`, now out of the pool, its plugin bound to the project's webhook
   * target; undefined when none is ready (the deploy starts one cold). Starts a refill.
   */
  claim(projectId: string, binding: { url?: string; secret: string }): ClaimedAgent | undefined {
    const slot = [...this.slots.values()].find((s) => s.ready && s.pid && s.port);
    if (!slot || !slot.pid || !slot.port) return undefined;
    this.slots.delete(slot.id);
    slot.owner = projectId;
    if (binding.url) {
      const bound = JSON.stringify({ url: binding.url, secret: binding.secret, projectId });
      fs.writeFileSync(path.join(slot.p.configDir, BINDING_FILE), bound, { mode: 0o600 });
    }
    this.refill();
    return { pid: slot.pid, port: slot.port, password: slot.password, paths: slot.p };
  }

  /** Stops the agents nobody claimed (claimed ones are their projects' and keep running). */
  async close(): Promise<void> {
    this.closed = true;
    const pids = this.stats().pids;
    this.slots.clear();
    await Promise.all(pids.map((pid) => killGroup(pid, 2000)));
  }

  private refill(): void {
    if (this.filling || this.closed) return;
    this.filling = (async () => {
      while (!this.closed && this.slots.size < this.target && this.failures < MAX_FAILURES) {
        try {
          await this.startOne();
          this.failures = 0;
        } catch (err) {
          this.failures++;
          const failures = this.failures;
          this.deps.log?.warn('local runtime: a warm-pool agent did not start', { error: String(err), failures });
        }
      }
    })().finally(() => {
      this.filling = undefined;
    });
  }

  private async startOne(): Promise<void> {
    this.sweep();
    const id = `warm-${randomUUID().slice(0, 13)}`;
    const p = projectPaths(this.root, id);
    const slot: Slot = { id, p, password: randomBytes(24).toString('base64url'), ready: false };
    this.slots.set(id, slot);
    try {
      for (const dir of [p.root, p.workspace, p.home, p.logsDir, p.configDir]) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      }
      await run('git', ['init', '-q', '-b', 'main'], { cwd: p.workspace });
      prepareConfigDir(p.configDir, this.deps.bin.version, { hangarPlugin: true });
      prepareConfigDir(path.join(p.home, '.config', 'opencode'), this.deps.bin.version);
      const env = {
        ...agentProcessEnv(this.root, id, p), ...this.opts.env,
        OPENCODE_SERVER_PASSWORD: slot.password, HANGAR_BINDING_FILE: path.join(p.configDir, BINDING_FILE),
      };
      await spawnAgent(this.deps, p, env, AbortSignal.timeout(this.deps.startTimeoutMs + 5000), {
        onSpawned: (pid, port, exit) => {
          slot.pid = pid;
          slot.port = port;
          void exit.then((how) => this.exited(slot, pid, how));
        },
      });
      if (this.slots.get(id) !== slot) return this.discard(slot); // the pool shrank or closed meanwhile
      slot.ready = true;
    } catch (err) {
      this.slots.delete(id);
      await this.discard(slot);
      throw err;
    }
  }

  /** Stops an agent that left the pool unclaimed, and removes its folders. */
  private async discard(slot: Slot): Promise<void> {
    if (slot.pid) await killGroup(slot.pid, 2000);
    fs.rmSync(slot.p.root, { recursive: true, force: true, maxRetries: 3 });
  }

  private exited(slot: Slot, pid: number, how: string): void {
    if (slot.owner) {
      this.deps.onExit(slot.owner, pid, how);
      return;
    }
    if (this.slots.get(slot.id) !== slot) return;
    this.slots.delete(slot.id);
    this.deps.log?.warn('local runtime: a warm-pool agent ended before any deploy claimed it', { how });
    fs.rmSync(slot.p.root, { recursive: true, force: true, maxRetries: 3 });
    this.refill();
  }

  /** The links a claim leaves behind (pool path → project folder) whose project is gone. */
  private sweep(): void {
    for (const name of fs.readdirSync(this.root)) {
      const entry = path.join(this.root, name);
      if (fs.lstatSync(entry).isSymbolicLink() && !fs.existsSync(entry)) fs.rmSync(entry, { force: true });
    }
  }
}
