import type { DesktopHealth } from '../driver';
import type { LocalDesktop } from './desktop';
import type { ProjectPaths } from './paths';

export interface SupervisorOptions {
  /** Restarts allowed within `windowMs` before supervision gives up (a desktop that keeps dying). */
  maxRestarts?: number;
  windowMs?: number;
}

interface Watch {
  /** When each restart began (epoch ms), for the window. */
  restarts: number[];
  total: number;
  /** The last crash, in words. */
  last?: string;
  /** Set when supervision gave up: the reason the user reads, with what to do. */
  failed?: string;
  inFlight?: { done: Promise<void>; abort: AbortController };
}

/**
 * Keeps a desktop-tier project's Xvfb and x11vnc alive on the local runtime: the driver's liveness
 * tick calls check(); a dead one is restarted on the same display and socket (opencode keeps its
 * DISPLAY, the bridge its URL). After `maxRestarts` in `windowMs` it gives up and says so, so the
 * row and the panel can offer "Redeploy" instead of retrying forever.
 */
export class DesktopSupervisor {
  private readonly watches = new Map<string, Watch>();
  private readonly maxRestarts: number;
  private readonly windowMs: number;

  constructor(
    private readonly desktop: LocalDesktop,
    private readonly onChange: (projectId: string) => void,
    opts: SupervisorOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxRestarts = opts.maxRestarts ?? 3;
    this.windowMs = opts.windowMs ?? 5 * 60_000;
  }

  /** The desktop as supervision sees it; undefined when the project has no desktop or nothing happened to it. */
  health(projectId: string, p: ProjectPaths): DesktopHealth | undefined {
    const w = this.watches.get(projectId);
    if (w?.failed) return { state: 'failed', reason: w.failed, restarts: w.total };
    if (!this.desktop.record(p)) return undefined;
    if (w?.inFlight) return { state: 'restarting', ...(w.last ? { reason: w.last } : {}), restarts: w.total };
    if (!this.desktop.status(p)) return { state: 'restarting', reason: 'the desktop is being checked', restarts: w?.total ?? 0 };
    return { state: 'running', ...(w?.last ? { reason: w.last } : {}), restarts: w?.total ?? 0 };
  }

  /** One look at the project's desktop (cheap: two /proc reads); starts a restart when one died. */
  check(projectId: string, p: ProjectPaths): void {
    const w = this.watches.get(projectId) ?? { restarts: [], total: 0 };
    if (w.failed || w.inFlight) return;
    const r = this.desktop.record(p);
    if (!r) return;
    const deaths = this.desktop.deaths(r);
    if (!deaths) return;
    this.watches.set(projectId, w);
    const at = new Date(this.now()).toISOString().slice(11, 19);
    const what = [deaths.xvfb, deaths.vnc].filter(Boolean).join(' and ');
    const now = this.now();
    w.restarts = w.restarts.filter((t) => now - t < this.windowMs);
    if (w.restarts.length >= this.maxRestarts) {
      w.failed = `The desktop stopped: ${what} at ${at} UTC, after ${w.restarts.length} restarts within ${Math.round(this.windowMs / 60_000)} min; supervision gave up. Redeploy the project to get its desktop back.`;
      void this.desktop.stop(p).finally(() => this.onChange(projectId));
      return;
    }
    w.restarts.push(now);
    w.total++;
    w.last = `The desktop restarted at ${at} UTC: ${what} (restart ${w.total}).`;
    const abort = new AbortController();
    const done = this.desktop.revive(p, r, abort.signal)
      .then(async () => {
        // Stopped meanwhile: what the restart started must not outlive the project.
        if (abort.signal.aborted) await this.desktop.stop(p);
      })
      .catch(async (err: unknown) => {
        if (abort.signal.aborted) return;
        w.failed = `The desktop stopped: ${what} at ${at} UTC, and restarting it failed (${err instanceof Error ? err.message : String(err)}). Redeploy the project to get its desktop back.`;
        await this.desktop.stop(p).catch(() => undefined);
      })
      .finally(() => {
        w.inFlight = undefined;
        if (!abort.signal.aborted) this.onChange(projectId);
      });
    w.inFlight = { done, abort };
    this.onChange(projectId);
  }

  /** Forgets the project's history (it is stopping or starting afresh); waits for a restart under way. */
  async forget(projectId: string): Promise<void> {
    const w = this.watches.get(projectId);
    this.watches.delete(projectId);
    if (w?.inFlight) {
      w.inFlight.abort.abort();
      await w.inFlight.done;
    }
  }
}
