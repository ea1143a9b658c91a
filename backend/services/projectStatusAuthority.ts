import type { Updateable } from 'kysely';
import type { Project } from '../contract';
import type { Db } from '../db/database';
import type { ProjectRow, ProjectsTable } from '../db/schema';
import type { EventHub } from '../events/eventHub';
import type { ApplyOptions, RuntimePatch } from '../runtime/projectRecords';

/**
 * The one authority over each project's status. Every change goes through `apply`, one at a time
 * per project, so each transition is compared with the state before it and published once
 * (project.status when the status or reason changes, project.updated when the URLs or notes do),
 * never twice and never out of order when an operation and the status monitor report together.
 * While an operation holds a project (hold/release by backend/services/operations.ts), the
 * monitor's own observations of it are dropped: the operation says what the project is.
 */
export class ProjectStatusAuthority {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly held = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly hub: EventHub,
    private readonly toProject: (row: ProjectRow) => Project,
  ) {}

  /** An operation owns the project's status until release (the same count of calls). */
  hold(projectId: string): void {
    this.held.set(projectId, (this.held.get(projectId) ?? 0) + 1);
  }

  release(projectId: string): void {
    const n = (this.held.get(projectId) ?? 0) - 1;
    if (n > 0) this.held.set(projectId, n);
    else this.held.delete(projectId);
  }

  apply(id: string, patch: RuntimePatch, options: ApplyOptions = {}): Promise<Project | undefined> {
    const before = this.queues.get(id) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(() => this.write(id, patch, options));
    this.queues.set(id, next);
    const forget = () => { if (this.queues.get(id) === next) this.queues.delete(id); };
    next.then(forget, forget);
    return next;
  }

  private async write(id: string, patch: RuntimePatch, options: ApplyOptions): Promise<Project | undefined> {
    const before = await this.row(id);
    if (!before) return undefined;
    if (options.observed && this.held.has(id)) return this.toProject(before);
    const set: Updateable<ProjectsTable> = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.reason !== undefined) set.status_reason = patch.reason;
    else if (patch.status !== undefined && patch.status !== before.status) set.status_reason = null;
    if (patch.agentUrl !== undefined) set.agent_url = patch.agentUrl;
    if (patch.vncUrl !== undefined) set.vnc_url = patch.vncUrl;
    if (patch.instanceId !== undefined) set.instance_id = patch.instanceId;
    if (patch.runtimeNotes !== undefined) set.runtime_notes = JSON.stringify(patch.runtimeNotes);
    const statusChanged = (set.status !== undefined && set.status !== before.status)
      || (set.status_reason !== undefined && set.status_reason !== before.status_reason);
    const shownChanged = (set.agent_url !== undefined && set.agent_url !== before.agent_url)
      || (set.vnc_url !== undefined && set.vnc_url !== before.vnc_url)
      || (set.runtime_notes !== undefined && set.runtime_notes !== before.runtime_notes);
    const instanceChanged = set.instance_id !== undefined && set.instance_id !== before.instance_id;
    if (!statusChanged && !shownChanged && !instanceChanged) return this.toProject(before);
    set.updated_at = new Date().toISOString();
    await this.db.updateTable('projects').set(set).where('id', '=', id).execute();
    const after = await this.row(id);
    if (!after) return undefined;
    const project = this.toProject(after);
    if (statusChanged) {
      const { status, statusReason: reason } = project;
      this.hub.publish(after.owner_id, 'project.status', { projectId: id, status, reason });
    }
    if (shownChanged) this.hub.publish(after.owner_id, 'project.updated', { project });
    return project;
  }

  private row(id: string): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
