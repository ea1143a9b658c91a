import fs from 'node:fs';
import path from 'node:path';
import type { Tier } from '../../contract';

const CPU_PERIOD_US = 100_000;

/**
 * Tier limits for a local process through cgroup v1: memory.limit_in_bytes and
 * memory.soft_limit_in_bytes (the reservation) in memory/hangar/<id>, CFS quota in
 * cpu/hangar/<id>. Where a controller is missing or not writable, the limit is reported as not
 * enforced instead of being silently dropped.
 */
export class CgroupLimiter {
  constructor(private readonly root = '/sys/fs/cgroup') {}

  /** Creates and configures the groups; returns the groups to join and notes for what failed. */
  prepare(projectId: string, tier: Tier): { groups: string[]; notes: string[] } {
    const groups: string[] = [];
    const notes: string[] = [];
    const mem = this.group('memory', projectId, (dir) => {
      fs.writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(toBytes(tier.memory)));
      try {
        fs.writeFileSync(path.join(dir, 'memory.soft_limit_in_bytes'), String(toBytes(tier.memoryReservation)));
      } catch (err) {
        notes.push(`memory reservation ${tier.memoryReservation} not enforced: ${reason(err)}`);
      }
    });
    if (typeof mem === 'string') groups.push(mem);
    else notes.push(`memory limit ${tier.memory} not enforced: ${mem.why}`);
    const cpu = this.group('cpu', projectId, (dir) => {
      fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(Math.max(1000, Math.round(tier.cpus * CPU_PERIOD_US))));
    });
    if (typeof cpu === 'string') groups.push(cpu);
    else notes.push(`cpu limit ${tier.cpus} not enforced: ${cpu.why}`);
    return { groups, notes };
  }

  /** Moves the process into the groups (its children follow); returns notes for failures. */
  join(groups: string[], pid: number): string[] {
    const notes: string[] = [];
    for (const dir of groups) {
      try {
        fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
      } catch (err) {
        notes.push(`${path.basename(path.dirname(path.dirname(dir)))} limit not enforced: cannot join ${dir}: ${reason(err)}`);
      }
    }
    return notes;
  }

  /**
   * Removes the groups once their processes are gone. rmdir fails (EBUSY) while a dead process
   * is not yet reaped, hence the short retries.
   */
  async release(projectId: string, tries = 40): Promise<void> {
    for (const controller of ['memory', 'cpu']) {
      const dir = path.join(this.root, controller, 'hangar', projectId);
      for (let i = 0; i < tries && fs.existsSync(dir); i++) {
        try {
          fs.rmdirSync(dir);
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  }

  private group(controller: 'memory' | 'cpu', projectId: string, configure: (dir: string) => void): string | { why: string } {
    const base = path.join(this.root, controller);
    if (!fs.existsSync(base)) return { why: `cgroup v1 ${controller} controller not mounted at ${base}` };
    const dir = path.join(base, 'hangar', projectId);
    try {
      fs.mkdirSync(dir, { recursive: true });
      configure(dir);
      return dir;
    } catch (err) {
      return { why: `cgroup v1 ${controller} controller not writable (${reason(err)})` };
    }
  }
}

export function toBytes(size: string): number {
  const m = /^([0-9]+)([mg])$/.exec(size);
  if (!m) throw new Error(`not a memory size: ${size}`);
  return Number(m[1]) * (m[2] === 'g' ? 1024 ** 3 : 1024 ** 2);
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}
