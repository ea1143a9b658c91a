import type { Logger } from '../../logger';
import type { RuntimeStatus } from '../driver';
import type { DesktopSupervisor } from './desktopSupervisor';
import { projectPaths } from './paths';
import { isAlive } from './processes';
import { rotateIfNeeded, tailLines } from './rotatingLog';

/**
 * Watches the local agents this API knows (its own children and adopted ones): reports a process
 * that ends without Hangar stopping it, lets desktop supervision look every tick and rotates logs.
 */
export class ProcessWatcher {
  private readonly listeners = new Set<(projectId: string, status: RuntimeStatus) => void>();
  /** Live processes this API watches (its own children and adopted ones). */
  private readonly tracked = new Map<string, number>();
  /** Pids Hangar itself is stopping: their exit is not a crash. */
  private readonly stoppingPids = new Set<number>();
  private readonly exitInfo = new Map<number, string>();
  /** Pids whose end was already reported (the exit event and the liveness tick both see it). */
  private readonly reported = new Set<number>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;

  constructor(
    private readonly root: string,
    private readonly status: (projectId: string) => Promise<RuntimeStatus>,
    private readonly supervisor: DesktopSupervisor,
    livenessMs: number,
    private readonly log?: Logger,
  ) {
    this.timer = setInterval(() => this.tick(), livenessMs);
    this.timer.unref();
  }

  watch(onChange: (projectId: string, status: RuntimeStatus) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  isTracked(projectId: string): boolean {
    return this.tracked.has(projectId);
  }

  track(projectId: string, pid: number): void {
    this.tracked.set(projectId, pid);
  }

  untrack(projectId: string): void {
    this.tracked.delete(projectId);
  }

  /** Hangar stops this pid: its end is not reported as a crash. */
  markStopping(pid: number): void {
    this.stoppingPids.add(pid);
  }

  /** The child's exit event: how it ended, then whatever follows from its end. */
  exited(projectId: string, pid: number, how: string): void {
    this.exitInfo.set(pid, how);
    this.onGone(projectId, pid);
  }

  howExited(pid: number): string | undefined {
    return this.exitInfo.get(pid);
  }

  exitReason(projectId: string, pid: number | null): string {
    const how = pid ? this.exitInfo.get(pid) ?? `(pid ${pid}) is gone` : 'is not running';
    const lines = tailLines(projectPaths(this.root, projectId).logFile, 15).lines;
    return `opencode ${how}; last log lines:\n${lines.join('\n')}`;
  }

  /** The desktop's supervision changed something: the project's row and panel learn it at once. */
  pushDesktop(projectId: string): void {
    void this.status(projectId).then((status) => {
      if (status.state !== 'running') return;
      for (const l of this.listeners) l(projectId, status);
    }).catch((err: unknown) => this.log?.warn('local runtime: desktop status failed', { projectId, error: String(err) }));
  }

  close(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private onGone(projectId: string, pid: number): void {
    if (this.tracked.get(projectId) === pid) this.tracked.delete(projectId);
    if (this.reported.has(pid)) return;
    this.reported.add(pid);
    if (this.stoppingPids.delete(pid)) return;
    void this.status(projectId).then((status) => {
      if (status.state === 'running') return; // already replaced by a newer process
      for (const l of this.listeners) l(projectId, status);
    }).catch((err: unknown) => this.log?.warn('local runtime: status after exit failed', { projectId, error: String(err) }));
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
        this.log?.warn('local runtime: desktop check failed', { projectId, error: String(err) });
      }
      if (this.ticks % 10 === 0) {
        try {
          rotateIfNeeded(projectPaths(this.root, projectId).logFile);
        } catch (err) {
          this.log?.warn('local runtime: log rotation failed', { projectId, error: String(err) });
        }
      }
    }
  }
}
