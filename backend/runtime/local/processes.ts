import fs from 'node:fs';
import { z } from 'zod';
import { sleep } from '../timing';

/** runtime.json: what the driver knows about a project's process, written before anything else. */
export const RuntimeRecord = z.object({
  v: z.literal(1),
  /** `stopped` means Hangar stopped it on purpose; `running` with a dead pid means it crashed. */
  state: z.enum(['running', 'stopped']),
  pid: z.number().int().positive().nullable(),
  port: z.number().int().positive().nullable(),
  instanceId: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** Field 22 of /proc/<pid>/stat: tells our process from a later one that reused the pid. */
  procStart: z.string().nullable(),
  /** Tier limits this start could not enforce. */
  notes: z.array(z.string()).default([]),
});
export type RuntimeRecord = z.infer<typeof RuntimeRecord>;

export function readRecord(file: string): RuntimeRecord | undefined {
  try {
    return RuntimeRecord.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Atomic replace, so a kill -9 in the middle leaves the old or the new record, never half. */
export function writeRecord(file: string, record: RuntimeRecord): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record) + '\n');
  fs.renameSync(tmp, file);
}

interface ProcInfo {
  state: string;
  ppid: number;
  startTime: string;
}

function procStat(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1] ?? 0), startTime: rest[19] ?? '' };
  } catch {
    return undefined;
  }
}

export function procStartTime(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

function procArgv(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function procEnv(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  try {
    for (const kv of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
    }
  } catch {
    // another user's process, or gone
  }
  return env;
}

/** Alive and not a zombie (an adopted process that died is not reaped by us). */
export function isAlive(pid: number): boolean {
  const s = procStat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

function isServeArgv(argv: string[]): boolean {
  return argv.includes('serve') && argv.includes('--print-logs');
}

/**
 * Is `record.pid` still the opencode process we started? Alive, `opencode serve` on the
 * recorded port, and (when known) the same kernel start time, so a reused pid is not adopted.
 */
export function isOurProcess(record: RuntimeRecord): boolean {
  if (!record.pid || !record.port || !isAlive(record.pid)) return false;
  const argv = procArgv(record.pid);
  const at = argv.indexOf('--port');
  if (!isServeArgv(argv) || at < 0 || argv[at + 1] !== String(record.port)) return false;
  return record.procStart === null || procStartTime(record.pid) === record.procStart;
}

export const ENV_ROOT = 'HANGAR_LOCAL_ROOT';
export const ENV_PROJECT = 'HANGAR_PROJECT_ID';

/**
 * Every live `opencode serve` this driver started under `projectsRoot`, found through the
 * marker variables in its environment: catches a process whose runtime.json was never written
 * (API killed between spawn and write).
 */
export function scanProcesses(projectsRoot: string): { pid: number; projectId: string }[] {
  const found: { pid: number; projectId: string }[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const name of entries) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || !isServeArgv(procArgv(pid)) || !isAlive(pid)) continue;
    const env = procEnv(pid);
    const projectId = env.get(ENV_PROJECT);
    if (env.get(ENV_ROOT) === projectsRoot && projectId) found.push({ pid, projectId });
  }
  // A sandboxed agent is bwrap with its reaper (a fork with the same argv and environment) below
  // it: the outermost one stands for the project, and its process group holds them all.
  const pids = new Set(found.map((f) => f.pid));
  return found.filter((f) => !pids.has(procStat(f.pid)?.ppid ?? 0));
}

/**
 * SIGTERM to the whole process group (opencode and the tools it runs), SIGKILL after `graceMs`.
 * Resolves when the leader is gone.
 */
export async function killGroup(pid: number, graceMs = 5000): Promise<'terminated' | 'killed' | 'gone'> {
  // A sandboxed agent's leader is bwrap: it can end before the agent inside, so wait for the group.
  const alive = () => isAlive(pid) || groupAlive(pid);
  if (!alive()) return 'gone';
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) return 'terminated';
    await sleep(25);
  }
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 200 && alive(); i++) await sleep(10);
  return 'killed';
}

/** Does any live (non-zombie) process remain in process group `pgid`? */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return false;
  }
  for (const name of entries) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') return true;
    } catch {
      // gone
    }
  }
  return false;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
