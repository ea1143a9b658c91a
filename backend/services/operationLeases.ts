import type { Db } from '../db/database';
import type { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { ProjectRecords } from '../runtime/projectRecords';
import { toOperation } from './operations';

/**
 * How often a replica renews its operations' heartbeat, and after how long without one they count as
 * dead (HANGAR_LEASE_RENEW_MS, HANGAR_LEASE_OPERATION_MS: backend/leaseConfig.ts).
 */
export interface OperationLeaseTimes { renewMs: number; leaseMs: number }

export const REPLICA_DIED = 'interrupted: the API replica running this operation stopped';
const TRANSITIONAL = new Set(['deploying', 'starting', 'stopping']);

/**
 * Operations across API replicas on one database: each replica renews the heartbeat of the
 * operations it runs (operations.replica_id, heartbeat_at); an open operation whose heartbeat is
 * older than the lease belongs to a dead replica, and any replica fails it (a guarded update: one
 * wins) and tells its owner. It also knows which projects another replica is working on, so the
 * status monitor leaves them alone as it does this replica's.
 */
export class OperationLeases {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private elsewhere = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly hub: EventHub,
    private readonly projects: Pick<ProjectRecords, 'rowById' | 'applyRuntime'>,
    readonly replicaId: string,
    private readonly log: Logger,
    /** Told the id of each of this replica's operations that a user asked another replica to cancel. */
    private readonly cancelRequested: (operationId: string) => void,
    readonly times: OperationLeaseTimes,
  ) {}

  /** Whether another replica runs an operation on the project (as of the last renewal). */
  busyElsewhere(projectId: string): boolean {
    return this.elsewhere.has(projectId);
  }

  start(): void {
    this.timer = setInterval(() => { this.ticking ??= this.tick().finally(() => { this.ticking = undefined; }); }, this.times.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** One round: renew ours (and pass on cancels asked elsewhere), fail dead replicas' operations, note what the live ones hold. */
  async tick(now = Date.now()): Promise<void> {
    try {
      await this.db.updateTable('operations').set({ heartbeat_at: now })
        .where('replica_id', '=', this.replicaId).where('state', 'in', ['queued', 'running']).execute();
      const cancels = await this.db.selectFrom('operations').select('id').where('replica_id', '=', this.replicaId)
        .where('state', 'in', ['queued', 'running']).where('cancel_requested', '=', 1).execute();
      for (const c of cancels) this.cancelRequested(c.id);
      await this.failDead(now);
      const open = await this.db.selectFrom('operations').select('project_id')
        .where('state', 'in', ['queued', 'running'])
        .where((eb) => eb.or([eb('replica_id', 'is', null), eb('replica_id', '!=', this.replicaId)])).execute();
      this.elsewhere = new Set(open.map((r) => r.project_id));
    } catch (err) {
      this.log.warn('cannot renew operation leases', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async failDead(now: number): Promise<void> {
    const staleBefore = now - this.times.leaseMs;
    const dead = await this.db.selectFrom('operations').selectAll().where('state', 'in', ['queued', 'running'])
      .where('replica_id', '!=', this.replicaId).where('heartbeat_at', '<', staleBefore).execute();
    for (const op of dead) {
      const at = new Date(now).toISOString();
      const steps = [...(JSON.parse(op.steps) as unknown[]), { at, message: REPLICA_DIED }];
      const res = await this.db.updateTable('operations')
        .set({ state: 'failed', error: REPLICA_DIED, finished_at: at, cancellable: 0, steps: JSON.stringify(steps), replica_id: null })
        .where('id', '=', op.id).where('state', 'in', ['queued', 'running']).where('heartbeat_at', '<', staleBefore)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue; // another replica took it, or its owner renewed it
      this.log.warn('failed the operation of a dead API replica', { operationId: op.id, projectId: op.project_id, replica: op.replica_id });
      const project = await this.projects.rowById(op.project_id);
      // The status monitor (no operation holds the project now) reads the runtime from here on.
      if (project && TRANSITIONAL.has(project.status)) await this.projects.applyRuntime(op.project_id, { status: 'failed', reason: REPLICA_DIED });
      const row = await this.db.selectFrom('operations').selectAll().where('id', '=', op.id).executeTakeFirst();
      if (row && op.kind !== 'delete') this.hub.publish(op.owner_id, 'operation.finished', { operation: toOperation(row) });
    }
  }
}
