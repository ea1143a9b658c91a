import type { Config } from '../config';
import type { Tier } from '../contract';
import type { Logger } from '../logger';
import type { SealedSettings } from './runtimeSettings';
import type { SecretBox } from './secretBox';

/**
 * What a runtime driver needs to create or update one project's container (or process).
 * Secrets arrive here decrypted and go only into the container's environment.
 */
export interface DeploySpec {
  projectId: string;
  slug: string;
  tier: Tier;
  /** Environment for opencode: OPENCODE_SERVER_PASSWORD, OPENCODE_AUTH_CONTENT, webhook secret... */
  env: Record<string, string>;
  /** Recreate even when nothing changed (Force Deploy). */
  force: boolean;
}

/** Where the driver last saw the project. `absent` = nothing exists for it on this runtime. */
export type RuntimeState = 'absent' | 'created' | 'starting' | 'running' | 'stopped' | 'exited';

/** A desktop tier's display and VNC server as the runtime's supervision sees them. */
export interface DesktopHealth {
  /** `failed`: supervision gave up; only a redeploy brings the desktop back. */
  state: 'running' | 'restarting' | 'failed';
  /** The last crash, or why supervision gave up, in words. */
  reason?: string;
  restarts: number;
}

export interface RuntimeStatus {
  state: RuntimeState;
  /** Why it is not running (exit code, OOM kill, last log lines...). */
  reason?: string;
  /** Base URL of opencode as the API reaches it (http://127.0.0.1:PORT, or the Coolify domain). */
  agentUrl?: string;
  /** The VNC endpoint for desktop tiers (unix:/path/vnc.sock, tcp://127.0.0.1:PORT or ws(s)://...). */
  vncUrl?: string;
  /** Desktop tiers on a runtime that supervises the desktop: its state, last crash, restarts. */
  desktop?: DesktopHealth;
  /** Stable identity of the container/process, to prove restart reuses it. */
  instanceId?: string;
  /** Limits this runtime could not enforce, in words, shown in the project's details. */
  unenforced?: string[];
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Progress {
  (message: string): void;
}

export interface RuntimeDriver {
  readonly name: 'local' | 'docker' | 'coolify';
  /** Create or update from the spec, then start; resolves when the runtime reports it started (not yet healthy). */
  deploy(spec: DeploySpec, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus>;
  start(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus>;
  stop(projectId: string, progress: Progress): Promise<RuntimeStatus>;
  /** The same container, no redeploy. */
  restart(projectId: string, progress: Progress, signal: AbortSignal): Promise<RuntimeStatus>;
  remove(projectId: string, opts: { volumes: boolean }, progress: Progress): Promise<void>;
  status(projectId: string): Promise<RuntimeStatus>;
  logs(projectId: string, tail: number): Promise<string[]>;
  /** Follows logs until the signal aborts; survives a restart of the container where the runtime allows. */
  followLogs(projectId: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
  /** Runs argv inside the project's workspace (never through a shell). */
  exec(projectId: string, argv: string[], opts?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ExecResult>;
  /** Every project this runtime holds something for: used to reconcile after an API restart. */
  list(): Promise<{ projectId: string; status: RuntimeStatus }[]>;
  /** Pushed status changes (docker events, child exit); returns an unsubscribe function. */
  watch(onChange: (projectId: string, status: RuntimeStatus) => void): () => void;
  close(): Promise<void>;
  /**
   * A deploy from the runtime's warm pool: an agent started ahead of time, bound to this project
   * (workspace, limits, webhook target). The project must adopt `opencodePassword` (the pooled
   * agent's own). Undefined when the pool is off, empty or cannot serve this deploy: deploy() cold.
   */
  claimWarm?(spec: DeploySpec, progress: Progress): Promise<{ status: RuntimeStatus; opencodePassword: string } | undefined>;
  /** A runtime with a warm pool: its size now (0 = off) and how many pooled agents are ready or starting. */
  warmPoolState?(): { size: number; ready: number; starting: number };
  /** Changes the warm pool's size at once (the API's setting); 0 stops the unclaimed agents. */
  resizeWarmPool?(size: number): Promise<void>;
  /** A runtime that places projects across servers (coolify): each server's capacity and load, read now. */
  serverLoads?(signal?: AbortSignal): Promise<RuntimeServerLoad[]>;
}

/** One server of a multi-server runtime, as GET /api/runtimes/coolify/servers shows it. */
export interface RuntimeServerLoad {
  uuid: string;
  name: string;
  desktop: boolean;
  /** Whether the runtime says it can take deployments now (Coolify: is_usable). */
  usable: boolean;
  capacity: { cpus: number; memoryBytes: number };
  used: { cpus: number; memoryBytes: number };
  projects: number;
}

/** What every runtime's driver factory is built from (backend/runtime/registry.ts). */
export interface DriverContext {
  config: Config;
  box: SecretBox;
  log: Logger;
  /** Runtime secrets from the database (runtime_settings), still sealed; read at start-up. */
  settings?: SealedSettings;
  /**
   * A project's opencode password, for runtimes that run commands through the agent's own opencode
   * (coolify has no exec). Absent: such a runtime's exec fails with a message saying why.
   */
  agentPassword?: (projectId: string) => Promise<string>;
}

export type DriverFactory = (ctx: DriverContext) => RuntimeDriver;
