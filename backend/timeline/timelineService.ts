import type { Db } from '../db/database';
import type {
  HangarEvent, TimelineActor, TimelineEntry, TimelineKind, TimelineOutcome, TimelinePage,
} from '../contract';
import { TIMELINE_RETENTION } from '../contract';
import { newId } from '../security/tokens';
import type { Logger } from '../logger';

/** Only the ownership check of the project service: another user's project is a 404. */
export interface TimelineProjects {
  ownedRow(ownerId: string, id: string): Promise<unknown>;
}

export interface TimelineRecord {
  projectId: string;
  kind: TimelineKind;
  actor: TimelineActor;
  outcome: TimelineOutcome;
  detail: string | null;
  at?: number;
}

/** What the hub's events say happened to a project, or null for events that are not on its timeline. */
export function timelineRecordOf(event: HangarEvent): TimelineRecord | null {
  if (event.type === 'operation.finished') {
    const op = event.data.operation;
    if (op.state !== 'succeeded' && op.state !== 'failed' && op.state !== 'cancelled') return null;
    const detail = op.error ?? (op.force ? 'forced' : null);
    return { projectId: op.projectId, kind: op.kind, actor: 'user', outcome: op.state, detail };
  }
  if (event.type === 'project.status' && event.data.status === 'crashed') {
    const { projectId, reason } = event.data;
    return { projectId, kind: 'crash', actor: 'system', outcome: 'observed', detail: reason };
  }
  if (event.type === 'notification.created' && event.data.kind !== 'needs-approval') {
    // The end of a session's turn, as the activity feed tells it ("…" finished, was stopped, failed: …).
    const { projectId, sessionId, text, kind } = event.data;
    const outcome = kind === 'failed' ? 'failed' : / was stopped$/.test(text) ? 'cancelled' : 'succeeded';
    return { projectId, kind: 'session-end', actor: 'agent', outcome, detail: `${text} (${sessionId})` };
  }
  return null;
}

/** After a crash: the runtime itself ran the project again (no operation of the user's did). */
const AUTO_RESTART = 'the runtime ran it again after the crash';

/** A project's timeline: stored from the event hub's events, read a page at a time, newest first. */
export class TimelineService {
  constructor(
    private readonly db: Db,
    private readonly projects: TimelineProjects,
    private readonly log: Logger,
    private readonly retention = TIMELINE_RETENTION,
    /** Whether an operation holds the project (then a status change is that operation's doing). */
    private readonly busy: (projectId: string) => boolean = () => false,
  ) {}

  /** Stores what the event says happened (if anything); never throws: the timeline must not break the event. */
  async observe(event: HangarEvent): Promise<void> {
    if (event.type === 'project.status' && event.data.status === 'running') {
      await this.safely(event.data.projectId, () => this.afterRunning(event.data.projectId));
      return;
    }
    const record = timelineRecordOf(event);
    if (record) await this.safely(record.projectId, () => this.record(record));
  }

  /** A change of the agent's config (permissions, provider or model): on the project, or on each of the user's. */
  async configChanged(userId: string, projectId: string | null, describe: (projectId: string) => Promise<string>):
    Promise<void> {
    const ids = projectId ? [projectId]
      : (await this.db.selectFrom('projects').select('id').where('owner_id', '=', userId).execute()).map((r) => r.id);
    for (const id of ids) {
      await this.safely(id, async () => this.record({
        projectId: id, kind: 'config', actor: 'user', outcome: 'succeeded',
        detail: `${await describe(id)}${projectId ? '' : ' (your default changed)'}`,
      }));
    }
  }

  tierChanged(projectId: string, from: string, to: string): Promise<void> {
    return this.safely(projectId, () => this.record({
      projectId, kind: 'tier', actor: 'user', outcome: 'succeeded', detail: `from ${from} to ${to}`,
    }));
  }

  /** The agent's own `git push` (not one through Hangar's sync): actor agent. */
  agentPushed(p: { projectId: string; command: string; exit: number | null; ok: boolean }): Promise<void> {
    const detail = `${p.command}${p.exit === null ? '' : ` (exit ${p.exit})`}`;
    return this.safely(p.projectId, () => this.record({
      projectId: p.projectId, kind: 'push', actor: 'agent', outcome: p.ok ? 'succeeded' : 'failed', detail,
    }));
  }

  /** A session the agent reported for the first time; a subagent's session belongs to its parent's turn. */
  sessionStarted(s: { projectId: string; sessionId: string; parentSessionId: string | null; title: string }):
    Promise<void> {
    if (s.parentSessionId) return Promise.resolve();
    return this.safely(s.projectId, () => this.record({
      projectId: s.projectId, kind: 'session-start', actor: 'user', outcome: 'observed',
      detail: s.title ? `"${s.title}" (${s.sessionId})` : s.sessionId,
    }));
  }

  /** Running again after a crash while no operation holds the project: the runtime restarted it. */
  private async afterRunning(projectId: string): Promise<void> {
    if (this.busy(projectId)) return;
    const last = await this.db.selectFrom('project_timeline').select('kind').where('project_id', '=', projectId)
      .where('kind', 'in', ['crash', 'restart', 'start', 'deploy', 'stop'])
      .orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (last?.kind !== 'crash') return;
    await this.record({ projectId, kind: 'restart', actor: 'system', outcome: 'observed', detail: AUTO_RESTART });
  }

  private async safely(projectId: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.log.warn('timeline: could not store an entry', { projectId, error: String(err) });
    }
  }

  async record(r: TimelineRecord): Promise<void> {
    const exists = await this.db.selectFrom('projects').select('id').where('id', '=', r.projectId).executeTakeFirst();
    if (!exists) return; // deleted meanwhile: its timeline went with it
    await this.db.insertInto('project_timeline').values({
      id: newId(), project_id: r.projectId, kind: r.kind, actor: r.actor, outcome: r.outcome,
      detail: r.detail?.slice(0, 2000) ?? null, at: r.at ?? Date.now(),
    }).execute();
    await this.prune(r.projectId);
  }

  async page(ownerId: string, projectId: string, q: { limit: number; cursor?: string; kind?: TimelineKind[] }):
    Promise<TimelinePage> {
    await this.projects.ownedRow(ownerId, projectId);
    let query = this.db.selectFrom('project_timeline').selectAll().where('project_id', '=', projectId);
    if (q.kind?.length) query = query.where('kind', 'in', q.kind);
    if (q.cursor) {
      const [atText, id] = q.cursor.split('.') as [string, string];
      const at = Number(atText);
      query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(toEntry),
      nextCursor: rows.length > q.limit && last ? `${Number(last.at)}.${last.id}` : null,
    };
  }

  /** Keeps the newest `retention` entries of the project. */
  private async prune(projectId: string): Promise<void> {
    const edge = await this.db.selectFrom('project_timeline').select(['at', 'id']).where('project_id', '=', projectId)
      .orderBy('at', 'desc').orderBy('id', 'desc').offset(this.retention).limit(1).executeTakeFirst();
    if (!edge) return;
    const at = Number(edge.at);
    await this.db.deleteFrom('project_timeline').where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<=', edge.id)])]))
      .execute();
  }
}

function toEntry(row: { id: string; project_id: string; kind: string; actor: string; outcome: string;
  detail: string | null; at: number }): TimelineEntry {
  return {
    id: row.id, projectId: row.project_id, kind: row.kind as TimelineKind, actor: row.actor as TimelineActor,
    outcome: row.outcome as TimelineOutcome, detail: row.detail, at: new Date(Number(row.at)).toISOString(),
  };
}
