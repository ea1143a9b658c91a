import type { Logger } from '../logger';
import type { JobLeases } from './jobLeases';

/** A background job as the services already expose it: started, stopped, and optionally nudged while it runs. */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void> | void;
  /** Called at every renewal while this replica runs the job (e.g. pick up work another replica queued). */
  tick?(): void;
}

/**
 * Runs each background job (status reconciliation and runtime event watchers, credential refresh,
 * notification retries, GitHub sync polling, event pruning) in exactly one API replica: the one
 * holding its lease (jobLeases.ts). Every replica tries every renewal period, so when the holder
 * dies another takes over once the lease expires (seconds). Without leases (SQLite: one process)
 * this process runs every job.
 */
export class BackgroundJobs {
  private readonly jobs = new Map<string, { job: BackgroundJob; running: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  /** `renewMs`: how often leases are renewed and free ones tried (HANGAR_LEASE_RENEW_MS). */
  constructor(private readonly leases: JobLeases | undefined, private readonly log: Logger, private readonly renewMs: number) {}

  add(name: string, job: BackgroundJob): void {
    this.jobs.set(name, { job, running: false });
  }

  /** The jobs this replica runs now. */
  running(): string[] {
    return [...this.jobs].filter(([, j]) => j.running).map(([name]) => name);
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => { this.ticking ??= this.tick().finally(() => { this.ticking = undefined; }); }, this.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const [name, entry] of this.jobs) if (entry.running) await this.halt(name, entry);
    await this.leases?.releaseAll().catch(() => {});
  }

  private async tick(): Promise<void> {
    for (const [name, entry] of this.jobs) {
      if (this.stopped) return;
      let hold: boolean;
      try {
        hold = this.leases ? await this.leases.acquire(name) : true;
      } catch (err) {
        // Unable to renew: another replica takes the lease when it expires, so stop rather than run twice.
        this.log.warn('cannot renew a background job lease', { job: name, error: err instanceof Error ? err.message : String(err) });
        hold = false;
      }
      if (hold && !entry.running) {
        entry.running = true;
        if (this.leases) this.log.info('background job runs in this replica', { job: name, replica: this.leases.owner });
        entry.job.start();
      } else if (hold) {
        entry.job.tick?.();
      } else if (entry.running) {
        await this.halt(name, entry);
      }
    }
  }

  private async halt(name: string, entry: { job: BackgroundJob; running: boolean }): Promise<void> {
    entry.running = false;
    try {
      await entry.job.stop();
    } catch (err) {
      this.log.warn('a background job did not stop cleanly', { job: name, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** A job that runs `task` every `everyMs` while it is started (one run at a time). */
export function periodicJob(everyMs: number, task: () => Promise<unknown>, log: Logger, name: string): BackgroundJob {
  let timer: NodeJS.Timeout | undefined;
  let run: Promise<unknown> | undefined;
  return {
    start() {
      timer = setInterval(() => {
        run ??= task().catch((err: unknown) => log.warn('a background job failed', { job: name, error: err instanceof Error ? err.message : String(err) }))
          .finally(() => { run = undefined; });
      }, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await run;
    },
  };
}
