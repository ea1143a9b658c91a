import type { Disposable } from '../core/ports';
import { realTimers, type Timers } from '../core/timers';

export interface AutoRefreshDeps {
  /** The poll itself (GET /api/projects); errors are the caller's to log. */
  refresh(): Promise<void>;
  timers?: Timers;
}

/**
 * The backstop poll behind the event stream: every `intervalSeconds` while the view is visible, never
 * while it is hidden or the interval is 0. Becoming visible after a long time polls at once.
 */
export class AutoRefresh implements Disposable {
  private readonly timers: Timers;
  private timer: unknown;
  private visible = false;
  private intervalMs = 0;
  private lastRun: number | undefined;
  private running = false;

  constructor(private readonly deps: AutoRefreshDeps) {
    this.timers = deps.timers ?? realTimers;
  }

  get isScheduled(): boolean { return this.timer !== undefined; }

  setInterval(seconds: number): void {
    const ms = Number.isFinite(seconds) && seconds > 0 ? Math.max(5, seconds) * 1000 : 0;
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    this.reschedule();
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.reschedule();
  }

  /** Something else refreshed (a user's Refresh, a reconnect): the next poll counts from now. */
  noteRefreshed(): void {
    this.lastRun = this.timers.now();
    this.reschedule();
  }

  dispose(): void {
    this.clear();
    this.visible = false;
  }

  private reschedule(): void {
    this.clear();
    if (!this.visible || this.intervalMs === 0) return;
    const since = this.lastRun === undefined ? 0 : this.timers.now() - this.lastRun;
    const delay = Math.max(0, this.intervalMs - since);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.lastRun = this.timers.now();
    try {
      await this.deps.refresh();
    } catch {
      // The caller logs; the poll carries on.
    } finally {
      this.running = false;
      this.lastRun = this.timers.now();
      if (this.timer === undefined) this.reschedule();
    }
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
