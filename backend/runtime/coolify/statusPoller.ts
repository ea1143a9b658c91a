import type { Logger } from '../../logger';
import type { RuntimeStatus } from '../driver';

type Watcher = (projectId: string, status: RuntimeStatus) => void;

/**
 * watch() for a runtime without push events: polls the whole list at a modest interval, only while
 * someone subscribes, and tells subscribers what changed (state or reason) since the last poll.
 * The first poll sets the baseline; a project that disappears is reported as absent.
 */
export class StatusPoller {
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | undefined;
  private lastSeen = new Map<string, string>();
  private closed = false;

  constructor(
    private readonly list: () => Promise<{ projectId: string; status: RuntimeStatus }[]>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  subscribe(onChange: Watcher): () => void {
    this.watchers.add(onChange);
    if (this.watchers.size === 1 && !this.closed) this.schedule(true);
    return () => {
      this.watchers.delete(onChange);
      if (this.watchers.size === 0) this.stop();
    };
  }

  close(): void {
    this.closed = true;
    this.watchers.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSeen = new Map();
  }

  private schedule(baseline: boolean): void {
    this.timer = setTimeout(() => void this.poll(baseline), baseline ? 0 : this.intervalMs);
    this.timer.unref();
  }

  private async poll(baseline: boolean): Promise<void> {
    try {
      const now = new Map<string, RuntimeStatus>();
      for (const { projectId, status } of await this.list()) now.set(projectId, status);
      for (const id of this.lastSeen.keys()) if (!now.has(id)) now.set(id, { state: 'absent' });
      const seen = new Map<string, string>();
      for (const [id, status] of now) {
        const key = `${status.state}|${status.reason ?? ''}`;
        if (status.state !== 'absent') seen.set(id, key);
        if (!baseline && this.lastSeen.get(id) !== key) for (const w of this.watchers) w(id, status);
      }
      this.lastSeen = seen;
    } catch (err) {
      this.log.warn('coolify: status poll failed', { error: (err as Error).message });
    }
    if (this.watchers.size > 0 && !this.closed) this.schedule(false);
  }
}
