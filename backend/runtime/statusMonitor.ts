import { HttpError } from '../errors';
import type { Logger } from '../logger';
import type { ProjectRecords } from './projectRecords';
import type { RuntimeDriver, RuntimeStatus } from './driver';
import type { RuntimeDrivers } from './drivers';
import { probeHealth } from './health';
import { statusFromRuntime } from './lifecycle';

/**
 * Consecutive failed health probes before a running project counts as crashed. A process that
 * exits is seen at once (driver push); this only catches a hung one, so it is lenient: a busy agent
 * on a loaded machine can take seconds to answer, and calling it crashed loses the user's turn.
 */
const UNHEALTHY_AFTER = 3;
const PROBE_TIMEOUT_MS = 5_000;
const PROBE_GAP_MS = 2_000;

/** The monitor reports what it saw on its own: an operation that holds the project wins. */
const OBSERVED = { observed: true } as const;

/**
 * Keeps each project's status true to its runtime while no operation runs on it: driver
 * pushes (child exit, docker events) are the fast path, a slow poll the backstop. The poll
 * also probes opencode's health, so a process that hangs becomes crashed too.
 */
export class StatusMonitor {
  private unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly drivers: RuntimeDrivers,
    private readonly projects: ProjectRecords,
    private readonly isBusy: (projectId: string) => boolean,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.unsubscribe = this.drivers.all().map((d) => d.watch((projectId, status) => void this.onPush(d, projectId, status)));
    this.timer = setInterval(() => {
      this.polling ??= this.pollAll().finally(() => { this.polling = undefined; });
    }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    if (this.timer) clearInterval(this.timer);
    await this.polling;
  }

  /** One pass over every project, each on its own runtime (the backstop poll; tests call it directly). */
  async pollAll(): Promise<void> {
    const rows = await this.projects.allRows();
    for (const row of rows) {
      const driver = this.drivers.get(row.runtime);
      if (!driver || this.isBusy(row.id)) continue;
      try {
        await this.refresh(driver, row.id, row.status);
      } catch (err) {
        if (err instanceof HttpError && err.status === 503) await this.unreachable(row, err.message);
        else this.log.warn('status poll failed', { projectId: row.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /**
   * The runtime itself does not answer (a Docker engine stopped or restarting): a row that said
   * running becomes stopped, and every row says why, instead of a stale green row or a bare
   * "stopped" the user did not ask for. The next poll that reaches the runtime sets it right.
   */
  private async unreachable(row: { id: string; status: string; status_reason: string | null }, why: string): Promise<void> {
    const reason = `${why} Hangar shows this project's state again as soon as the runtime answers.`;
    if (row.status_reason === reason) return;
    this.log.warn('runtime unreachable', { projectId: row.id, error: why });
    const leaves = ['running', 'starting', 'stopped'].includes(row.status);
    await this.projects.applyRuntime(row.id, leaves ? { status: 'stopped', reason } : { reason }, OBSERVED);
  }

  private async onPush(driver: RuntimeDriver, projectId: string, status: RuntimeStatus): Promise<void> {
    if (this.isBusy(projectId)) return;
    try {
      const row = await this.projects.rowById(projectId);
      // A push from a runtime the project has left (moved by a redeploy) is about something else.
      if (!row || row.runtime !== driver.name) return;
      const healthy = status.state === 'running' && row.status === 'running';
      await this.projects.applyRuntime(projectId, statusFromRuntime(status, healthy), OBSERVED);
    } catch (err) {
      this.log.warn('status push failed', { projectId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async refresh(driver: RuntimeDriver, projectId: string, current: string): Promise<void> {
    const rs = await driver.status(projectId);
    if (rs.state !== 'running') {
      if (current === 'failed' && (rs.state === 'exited' || rs.state === 'stopped')) return; // keep the failure's reason
      await this.projects.applyRuntime(projectId, statusFromRuntime(rs, false), OBSERVED);
      return;
    }
    if (!rs.agentUrl) return;
    const { opencodePassword } = await this.projects.secrets(projectId);
    // Only a row that said running can be called crashed here. Any other row the runtime reports
    // running (still starting after an API restart, or brought back by the runtime itself after an
    // engine restart) is not listening yet, perhaps: one probe that answers makes it running,
    // otherwise it is starting (a reason is kept, e.g. the reconciler's that waits on it).
    if (current !== 'running') {
      const ok = (await probeHealth(rs.agentUrl, opencodePassword, PROBE_TIMEOUT_MS)).ok;
      if (this.isBusy(projectId) || (!ok && current === 'starting')) return;
      const urls = { agentUrl: rs.agentUrl, instanceId: rs.instanceId ?? null };
      await this.projects.applyRuntime(projectId, ok
        ? { status: 'running', reason: rs.reason ?? null, ...urls }
        : { status: 'starting', reason: 'the runtime runs it again; waiting for opencode to answer', ...urls }, OBSERVED);
      return;
    }
    let why = '';
    for (let i = 0; i < UNHEALTHY_AFTER; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
      const probe = await probeHealth(rs.agentUrl, opencodePassword, PROBE_TIMEOUT_MS);
      if (probe.ok) {
        const patch = { status: 'running', agentUrl: rs.agentUrl, instanceId: rs.instanceId ?? null } as const;
        await this.projects.applyRuntime(projectId, patch, OBSERVED);
        return;
      }
      why = probe.why;
    }
    // The probes took seconds: an operation (stop, restart) may have started meanwhile, or the
    // process changed; then this verdict is about something that no longer exists.
    if (this.isBusy(projectId)) return;
    const now = await driver.status(projectId);
    if (now.state !== 'running' || now.instanceId !== rs.instanceId) return;
    const lines = await driver.logs(projectId, 15).catch(() => []);
    await this.projects.applyRuntime(projectId, {
      status: 'crashed',
      reason: `opencode stopped answering GET /global/health (${why}); last log lines:\n${lines.join('\n')}`,
    }, OBSERVED);
  }
}
