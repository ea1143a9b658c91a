import type { Db } from '../db/database';
import type { OperationRow } from '../db/schema';
import type { Operation, OperationKind } from '../contract';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import type { DomainBus, DomainEvents } from '../events/domainBus';
import type { EventHub } from '../events/eventHub';
import type { Logger } from '../logger';
import type { Lifecycle } from '../runtime/lifecycle';
import { newId } from '../security/tokens';
import type { ProjectService } from './projects';
import type { ProjectStatusAuthority } from './projectStatusAuthority';

type ContainerAction = Exclude<OperationKind, 'delete'>;

interface Active {
  id: string;
  kind: OperationKind;
  ownerId: string;
  projectId: string;
  controller: AbortController;
  done: Promise<void>;
  /** Delete: its row goes with the project, so its steps are kept but never published. */
  silent?: boolean;
}

/** Actions that wait for opencode's health and can stop waiting. */
const CANCELLABLE: ReadonlySet<OperationKind> = new Set(['deploy', 'start', 'restart']);

/**
 * Container actions as operation rows: queued → running → succeeded | failed | cancelled,
 * run in the background, one at a time per project (in memory for this process, and a partial
 * unique index for the database: across replicas), reported on the owner's event stream.
 */
export class OperationService {
  private readonly active = new Map<string, Active>();
  /** Row writes of one operation, in order (steps arrive faster than SQLite answers). */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly hub: EventHub,
    private readonly projects: ProjectService,
    private readonly lifecycle: Lifecycle,
    private readonly log: Logger,
    /** Told `operation.finished` once an operation has released the project (GitHub sync imports after a deploy). */
    private readonly bus: DomainBus,
    /** Held from claim to release: while an operation runs, it alone says what the project's status is. */
    private readonly status: ProjectStatusAuthority,
    /** This process among the API's replicas: its rows carry it, and operationLeases.ts renews them. */
    private readonly replicaId: string,
  ) {}

  isBusy(projectId: string): boolean {
    return this.active.has(projectId);
  }

  /** The kind of the operation running on the project now, if any. */
  activeKind(projectId: string): OperationKind | undefined {
    return this.active.get(projectId)?.kind;
  }

  /**
   * Runs work that is not a container action (GitHub sync: fetch/push/pull/import) under the same
   * one-per-project rule, rows and events. The task reports its outcome; `ok: false` fails the
   * operation with `message` as its error. Answers at once with the queued operation.
   */
  async submitTask(
    ownerId: string, projectId: string, kind: OperationKind, force: boolean,
    task: (progress: (message: string) => void, signal: AbortSignal, operationId: string) => Promise<{ ok: boolean; message: string }>,
  ): Promise<Operation> {
    await this.projects.ownedRow(ownerId, projectId);
    const entry = await this.claim(ownerId, projectId, kind, force);
    const queued = await this.get(entry.id);
    entry.done = (async () => {
      let state: 'succeeded' | 'failed' | 'cancelled' = 'failed';
      // A task that ends because the user cancelled it is cancelled, not failed (a redeploy, an import).
      const failed = () => (entry.controller.signal.aborted ? 'cancelled' : 'failed');
      try {
        await this.setState(entry, 'running');
        const out = await task((m) => this.step(entry, m), entry.controller.signal, entry.id);
        state = out.ok ? 'succeeded' : failed();
        await this.finish(entry, state, out.ok ? null : out.message);
      } catch (err) {
        state = failed();
        await this.finish(entry, state, err instanceof Error ? err.message : String(err));
      } finally {
        this.release(entry);
        this.finished({ ownerId, projectId, kind, state });
      }
    })();
    return queued;
  }

  /** Starts an action and answers at once with the queued operation (the route's 202). */
  async submit(ownerId: string, projectId: string, kind: ContainerAction, force = false): Promise<Operation> {
    await this.projects.ownedRow(ownerId, projectId);
    const entry = await this.claim(ownerId, projectId, kind, force);
    const queued = await this.get(entry.id);
    entry.done = this.run(entry, kind, force);
    return queued;
  }

  async list(ownerId: string, projectId: string, limit = 20): Promise<Operation[]> {
    await this.projects.ownedRow(ownerId, projectId);
    const rows = await this.db.selectFrom('operations').selectAll().where('project_id', '=', projectId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toOperation);
  }

  async cancel(ownerId: string, projectId: string, operationId: string): Promise<Operation> {
    await this.projects.ownedRow(ownerId, projectId);
    const row = await this.db.selectFrom('operations').selectAll().where('id', '=', operationId).where('project_id', '=', projectId).executeTakeFirst();
    if (!row) throw notFound('Operation');
    const active = this.active.get(projectId);
    if ((!active || active.id !== operationId) && row.cancellable && row.replica_id !== null && row.replica_id !== this.replicaId
      && (row.state === 'queued' || row.state === 'running')) {
      // Another replica runs it: it aborts it at its next lease renewal (operationLeases.ts).
      await this.db.updateTable('operations').set({ cancel_requested: 1 }).where('id', '=', operationId)
        .where('state', 'in', ['queued', 'running']).execute();
      return toOperation(row);
    }
    if (!active || active.id !== operationId) {
      throw conflict('operation_not_cancellable', `Operation ${operationId} has already ${row.state === 'queued' || row.state === 'running' ? 'been interrupted' : row.state}; there is nothing to cancel.`, { operationId, state: row.state });
    }
    if (!row.cancellable) throw conflict('operation_not_cancellable', `A ${row.kind} cannot be cancelled; wait for it to finish.`, { operationId, kind: row.kind });
    active.controller.abort(new Error('cancelled by the user'));
    return toOperation(row);
  }

  /**
   * DELETE /api/projects/:id: removes the runtime side (and the workspace only when asked and
   * confirmed with the slug), then the row. Synchronous, but holds the project's operation slot.
   */
  async deleteProject(ownerId: string, projectId: string, opts: { deleteVolumes: boolean; confirm?: string }): Promise<void> {
    const row = await this.projects.ownedRow(ownerId, projectId);
    if (opts.deleteVolumes && opts.confirm !== row.slug) {
      throw badRequest('confirmation_required', `Deleting the workspace cannot be undone: repeat the project's slug as confirm=${row.slug}.`, { slug: row.slug });
    }
    const entry = await this.claim(ownerId, projectId, 'delete', false);
    entry.silent = true;
    try {
      await this.setState(entry, 'running');
      await this.lifecycle.remove(projectId, opts.deleteVolumes, (m) => this.step(entry, m));
      await this.projects.deleteRow(ownerId, projectId);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.finish(entry, 'failed', message);
      throw new HttpError(502, 'runtime_failed', `Could not remove the project's runtime: ${message}`);
    } finally {
      this.release(entry);
    }
  }

  /** A cancel asked through another replica (operationLeases.ts): aborts the operation if this process runs it. */
  cancelRequested(operationId: string): void {
    const active = [...this.active.values()].find((a) => a.id === operationId);
    if (active && CANCELLABLE.has(active.kind)) active.controller.abort(new Error('cancelled by the user'));
  }

  /** Aborts what runs and waits for it (server shutdown). */
  async shutdown(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.controller.abort(new Error('the API is shutting down'));
    await Promise.allSettled(all.map((a) => a.done));
  }

  /** Waits for the current operation of a project, if any (tests, benchmarks). */
  async settled(projectId: string): Promise<void> {
    await this.active.get(projectId)?.done;
  }

  private async claim(ownerId: string, projectId: string, kind: OperationKind, force: boolean): Promise<Active> {
    const running = this.active.get(projectId);
    if (running) throw busy(running.id, running.kind);
    const entry: Active = { id: newId(), kind, ownerId, projectId, controller: new AbortController(), done: Promise.resolve() };
    this.active.set(projectId, entry); // before the first await: a concurrent request sees it
    this.status.hold(projectId);
    try {
      await this.db.insertInto('operations').values({
        id: entry.id, project_id: projectId, owner_id: ownerId, kind, force: force ? 1 : 0, state: 'queued',
        steps: '[]', error: null, cancellable: CANCELLABLE.has(kind) ? 1 : 0, created_at: new Date().toISOString(), started_at: null, finished_at: null,
        replica_id: this.replicaId, heartbeat_at: Date.now(),
      }).execute();
    } catch (err) {
      this.release(entry);
      const other = await this.db.selectFrom('operations').select(['id', 'kind']).where('project_id', '=', projectId)
        .where('state', 'in', ['queued', 'running']).executeTakeFirst();
      if (other) throw busy(other.id, other.kind);
      throw err;
    }
    return entry;
  }

  private async run(entry: Active, kind: ContainerAction, force: boolean): Promise<void> {
    const { signal } = entry.controller;
    try {
      await this.setState(entry, 'running');
      await this.lifecycle.run(kind, entry.projectId, force, (m) => this.step(entry, m), signal);
      await this.finish(entry, 'succeeded', null);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      try {
        if (signal.aborted) {
          await this.lifecycle.afterCancel(entry.projectId);
          await this.finish(entry, 'cancelled', message);
        } else {
          await this.lifecycle.afterFailure(kind, entry.projectId, message);
          await this.finish(entry, 'failed', message);
        }
      } catch (inner) {
        this.log.error('operation cleanup failed', { operationId: entry.id, error: String(inner) });
        await this.finish(entry, 'failed', message).catch(() => {});
      }
    } finally {
      this.release(entry);
      const row = await this.db.selectFrom('operations').select('state').where('id', '=', entry.id).executeTakeFirst().catch(() => undefined);
      if (row && (row.state === 'succeeded' || row.state === 'failed' || row.state === 'cancelled')) {
        this.finished({ ownerId: entry.ownerId, projectId: entry.projectId, kind, state: row.state });
      }
    }
  }

  /** The project is free again: for the next operation, and for the status monitor's observations. */
  private release(entry: Active): void {
    if (this.active.get(entry.projectId)?.id === entry.id) this.active.delete(entry.projectId);
    this.status.release(entry.projectId);
  }

  private finished(event: DomainEvents['operation.finished']): void {
    this.bus.emit('operation.finished', event).catch((err: unknown) => {
      this.log.error('a reaction to a finished operation failed', { projectId: event.projectId, error: String(err) });
    });
  }

  private step(entry: Active, message: string): void {
    this.enqueue(entry.id, async () => {
      const row = await this.db.selectFrom('operations').select('steps').where('id', '=', entry.id).executeTakeFirst();
      if (!row) return;
      const steps = [...(JSON.parse(row.steps) as unknown[]), { at: new Date().toISOString(), message }];
      await this.db.updateTable('operations').set({ steps: JSON.stringify(steps) }).where('id', '=', entry.id).execute();
      await this.publish(entry, 'operation.progress');
    });
  }

  private setState(entry: Active, state: 'running'): Promise<void> {
    return this.enqueue(entry.id, async () => {
      await this.db.updateTable('operations').set({ state, started_at: new Date().toISOString() }).where('id', '=', entry.id).execute();
      await this.publish(entry, 'operation.progress');
    });
  }

  private finish(entry: Active, state: 'succeeded' | 'failed' | 'cancelled', error: string | null): Promise<void> {
    return this.enqueue(entry.id, async () => {
      await this.db.updateTable('operations').set({ state, error, cancellable: 0, finished_at: new Date().toISOString() }).where('id', '=', entry.id).execute();
      await this.publish(entry, 'operation.finished');
      this.writes.delete(entry.id);
    });
  }

  private enqueue(id: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(id) ?? Promise.resolve()).then(write).catch((err: unknown) => {
      this.log.error('operation bookkeeping failed', { operationId: id, error: String(err) });
    });
    this.writes.set(id, next);
    return next;
  }

  private async publish(entry: Active, type: 'operation.progress' | 'operation.finished'): Promise<void> {
    if (entry.silent) return;
    const row = await this.db.selectFrom('operations').selectAll().where('id', '=', entry.id).executeTakeFirst();
    if (row) this.hub.publish(entry.ownerId, type, { operation: toOperation(row) });
  }

  private async get(id: string): Promise<Operation> {
    return toOperation(await this.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }
}

function busy(operationId: string, kind: OperationKind): HttpError {
  return conflict('operation_in_progress', `A ${kind} is already running on this project (operation ${operationId}); wait for it or cancel it.`, { operationId, kind });
}

export function toOperation(r: OperationRow): Operation {
  return {
    id: r.id,
    projectId: r.project_id,
    kind: r.kind,
    force: r.force === 1,
    state: r.state,
    steps: JSON.parse(r.steps) as Operation['steps'],
    error: r.error,
    cancellable: r.cancellable === 1,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}
