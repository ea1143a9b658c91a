import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logger';
import { findOnPath } from './desktopBinaries';

/** What one agent may see of the host: its workspace, its home and its config dir, writable. */
export interface SandboxPaths {
  workspace: string;
  home: string;
  configDir: string;
}

/** How the local runtime starts an agent process: inside bubblewrap, or (when off) as it is. */
export interface Sandbox {
  readonly kind: 'bwrap' | 'none';
  /** Why agents run unsandboxed (kind `none`), for the project's notes. */
  readonly note?: string;
  /** The argv to spawn instead of `[cmd, ...args]`. */
  wrap(cmd: string, args: string[], paths: SandboxPaths): { cmd: string; args: string[] };
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** System folders the agent needs read-only (its tools: git, rg, sh, certificates, resolv.conf). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];
/** The data dir's marker the driver finds its processes by: the agent has no use for the path. */
const HIDDEN_ENV = ['HANGAR_LOCAL_ROOT'];

/**
 * bubblewrap: a fresh root with nothing of the host but read-only system folders, the agent's
 * executable, and its own workspace, home and config dir (bound at the same paths, writable);
 * its own pid namespace and /proc (no other process exists for it), IPC and UTS namespaces, a
 * private /tmp and /dev, no capabilities. The network is shared (opencode listens on loopback
 * for the API), and no CPU/memory limit comes from here (cgroups.ts does that where it can).
 * No --new-session: the driver stops the agent by signalling its process group.
 * No --die-with-parent: agents outlive the API, which adopts them after a restart.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap' as const;
  constructor(private readonly bwrap: string) {}

  wrap(cmd: string, args: string[], paths: SandboxPaths): { cmd: string; args: string[] } {
    const real = fs.realpathSync(cmd);
    const a = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--cap-drop', 'ALL', '--hostname', 'hangar-agent'];
    for (const dir of SYSTEM_DIRS) a.push('--ro-bind-try', dir, dir);
    a.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--tmpfs', '/run');
    a.push('--ro-bind', real, real);
    for (const dir of [paths.workspace, paths.home, paths.configDir]) a.push('--bind', dir, dir);
    a.push('--chdir', paths.workspace, '--setenv', 'TMPDIR', '/tmp');
    for (const name of HIDDEN_ENV) a.push('--unsetenv', name);
    a.push('--', real, ...args);
    return { cmd: this.bwrap, args: a };
  }
}

class NoSandbox implements Sandbox {
  readonly kind = 'none' as const;
  constructor(readonly note: string) {}
  wrap(cmd: string, args: string[]): { cmd: string; args: string[] } {
    return { cmd, args };
  }
}

/**
 * HANGAR_LOCAL_SANDBOX: `auto` (default: bubblewrap when it works here), `bwrap` (required),
 * `off` (agents run as the API's user and see what it sees). Under CI=true a missing or broken
 * bubblewrap is an error, never a silent fallback.
 */
export function resolveSandbox(env: NodeJS.ProcessEnv, log?: Logger): Sandbox {
  const mode = (env.HANGAR_LOCAL_SANDBOX ?? 'auto').trim().toLowerCase() || 'auto';
  if (!['auto', 'bwrap', 'off'].includes(mode)) throw new SandboxError(`HANGAR_LOCAL_SANDBOX=${JSON.stringify(env.HANGAR_LOCAL_SANDBOX)} is invalid: use auto, bwrap or off`);
  if (mode === 'off') {
    const note = 'agent not sandboxed (HANGAR_LOCAL_SANDBOX=off): it can read everything the API\'s OS user can, including the data dir and other projects';
    log?.warn(`local runtime: ${note}`);
    return new NoSandbox(note);
  }
  const problem = bwrapProblem(env.PATH ?? '');
  if (!problem) return new BwrapSandbox(findOnPath('bwrap', env.PATH ?? '')!);
  if (mode === 'bwrap' || env.CI === 'true') throw new SandboxError(`${problem} (HANGAR_LOCAL_SANDBOX=${mode}${env.CI === 'true' ? ', CI=true' : ''})`);
  const note = `agent not sandboxed: ${problem}; it can read everything the API's OS user can, including the data dir and other projects`;
  log?.warn(`local runtime: ${note}. Install bubblewrap (sudo apt-get install bubblewrap) or set HANGAR_LOCAL_SANDBOX=off to silence this.`);
  return new NoSandbox(note);
}

/** Why bubblewrap cannot sandbox here, or undefined when a trial sandbox runs. */
function bwrapProblem(searchPath: string): string | undefined {
  const bwrap = findOnPath('bwrap', searchPath);
  if (!bwrap) return 'bubblewrap (bwrap) is not installed';
  try {
    execFileSync(bwrap, ['--unshare-pid', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', path.join('/bin', 'true')], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return `bubblewrap cannot create a sandbox here: ${(e.stderr?.toString().trim() || e.message).split('\n')[0]}`;
  }
}
