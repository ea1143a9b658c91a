import type { Db } from '../db/database';
import type { Logger } from '../logger';
import type { ProjectRecords } from './projectRecords';
import type { RuntimeDriver, RuntimeStatus } from './driver';
import type { RuntimeDrivers } from './drivers';
import { probeHealth, waitForHealthy } from './health';
import { statusFromRuntime } from './lifecycle';

export const INTERRUPTED = 'interrupted: the API stopped during this operation';

export interface ReconcileReport {
  interruptedOperations: number;
  orphansRemoved: string[];
  /** Project id → status after the pass (health checks still running say "starting"). */
  statuses: Map<string, string>;
  /** Resolves when re-adopted processes have passed or failed their health check. */
  settled: Promise<void>;
}

const TRANSITIONAL = new Set(['deploying', 'starting', 'stopping']);

/**
 * At API start, before any route runs: operations the last process left open are failed, every
 * project gets its status from the runtime it lives on, and whatever a driver holds for a project
 * that no longer exists is removed (its workspace is kept: never guess-delete data).
 */
export async function reconcile(opts: {
  db: Db; drivers: RuntimeDrivers; projects: ProjectRecords; log: Logger; healthTimeoutMs: number;
  /**
   * Open operations whose heartbeat is at least this old (epoch ms) were left by a dead process;
   * newer ones belong to a live replica on the same database and are left alone, with their
   * projects (default: every open operation, as with SQLite's one process).
   */
  staleBefore?: number;
}): Promise<ReconcileReport> {
  const { db, drivers, projects, log } = opts;
  const now = new Date().toISOString();
  const staleBefore = opts.staleBefore ?? Infinity;
  const all = await db.selectFrom('operations').select(['id', 'steps', 'project_id', 'heartbeat_at']).where('state', 'in', ['queued', 'running']).execute();
  const open = all.filter((op) => op.heartbeat_at === null || op.heartbeat_at < staleBefore);
  const live = new Set(all.filter((op) => !open.includes(op)).map((op) => op.project_id));
  for (const op of open) {
    const steps = [...(JSON.parse(op.steps) as unknown[]), { at: now, message: INTERRUPTED }];
    await db.updateTable('operations')
      .set({ state: 'failed', error: INTERRUPTED, finished_at: now, cancellable: 0, steps: JSON.stringify(steps) })
      .where('id', '=', op.id).execute();
  }
  const report: ReconcileReport = { interruptedOperations: open.length, orphansRemoved: [], statuses: new Map(), settled: Promise.resolve() };
  // Another replica is working on these: its operation, not this pass, says what their status is.
  const allRows = await projects.allRows();
  const known = new Set(allRows.map((r) => r.id));
  const rows = allRows.filter((r) => !live.has(r.id));
  for (const row of rows.filter((r) => TRANSITIONAL.has(r.status) && !drivers.get(r.runtime))) {
    await projects.applyRuntime(row.id, { status: 'failed', reason: `${INTERRUPTED}; ${drivers.problem(row.runtime)}` });
  }
  const checks: Promise<void>[] = [];
  for (const driver of drivers.all()) {
    try {
      checks.push((await reconcileDriver(driver, rows, known, report, opts)).settled);
    } catch (err) {
      // One unreachable engine must not keep the API (and the other runtimes' projects) down.
      log.error('cannot reconcile a runtime', { runtime: driver.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  report.settled = Promise.all(checks).then(() => undefined);
  for (const row of await projects.allRows()) report.statuses.set(row.id, row.status);
  return report;
}

async function reconcileDriver(
  driver: RuntimeDriver, rows: Awaited<ReturnType<ProjectRecords['allRows']>>, known: ReadonlySet<string>, report: ReconcileReport,
  opts: { projects: ProjectRecords; log: Logger; healthTimeoutMs: number },
): Promise<{ settled: Promise<void> }> {
  const { projects, log } = opts;
  const held = new Map((await driver.list()).map((e) => [e.projectId, e.status]));
  for (const id of held.keys()) {
    if (known.has(id)) continue;
    try {
      await driver.remove(id, { volumes: false }, () => {});
      report.orphansRemoved.push(id);
      log.info('removed an orphaned runtime instance', { projectId: id });
    } catch (err) {
      log.error('cannot remove an orphaned runtime instance', { projectId: id, error: String(err) });
    }
  }
  const checks: Promise<void>[] = [];
  for (const row of rows.filter((r) => r.runtime === driver.name)) {
    const rs: RuntimeStatus = held.get(row.id) ?? { state: 'absent' };
    const interrupted = TRANSITIONAL.has(row.status);
    if (rs.state === 'running' && rs.agentUrl) {
      const { opencodePassword } = await projects.secrets(row.id);
      const common = { agentUrl: rs.agentUrl, instanceId: rs.instanceId ?? null, runtimeNotes: rs.unenforced ?? [] };
      if ((await probeHealth(rs.agentUrl, opencodePassword, 1000)).ok) {
        await projects.applyRuntime(row.id, { status: 'running', reason: null, ...common });
      } else {
        // Alive but not answering yet (the API died right after spawning it): give it the start-up time.
        await projects.applyRuntime(row.id, { status: 'starting', reason: 'checking health after an API restart', ...common });
        checks.push(waitForHealthy(rs.agentUrl, opencodePassword, { signal: AbortSignal.timeout(opts.healthTimeoutMs + 1000), timeoutMs: opts.healthTimeoutMs })
          .then(() => projects.applyRuntime(row.id, { status: 'running', reason: null }))
          .catch(async (err: unknown) => {
            const lines = await driver.logs(row.id, 15).catch(() => []);
            // A process that never became healthy is stopped, not left running unaccounted for.
            await driver.stop(row.id, () => {}).catch(() => undefined);
            await projects.applyRuntime(row.id, { status: 'crashed', reason: `did not become healthy after the API restarted: ${(err as Error).message}; last log lines:\n${lines.join('\n')}` });
          })
          .then(() => undefined));
      }
    } else if (rs.state === 'running') {
      // A process without a record (killed between spawn and bookkeeping): stop it cleanly.
      await driver.stop(row.id, () => {});
      await projects.applyRuntime(row.id, { status: 'failed', reason: INTERRUPTED });
    } else if (interrupted && (rs.state === 'absent' || rs.state === 'created' || rs.state === 'stopped')) {
      const status = rs.state === 'absent' ? 'not_deployed' : row.status === 'stopping' ? 'stopped' : 'failed';
      await projects.applyRuntime(row.id, { status, reason: status === 'stopped' ? null : INTERRUPTED });
    } else if (!(row.status === 'failed' && rs.state === 'exited')) {
      await projects.applyRuntime(row.id, statusFromRuntime(rs, false));
    }
  }
  return { settled: Promise.all(checks).then(() => undefined) };
}
