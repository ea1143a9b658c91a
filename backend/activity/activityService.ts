import type { Db } from '../db/database';
import type { ActivityRow } from '../db/schema';
import { AGENT_GIT_PUSH, AgentGitPush, OpencodeWebhook, type ActivityPage, type ActivitySession, type ActivityStatus } from '../contract';
import type { EventHub } from '../events/eventHub';
import type { DomainBus } from '../events/domainBus';
import type { Logger } from '../logger';
import type { ProjectService } from '../services/projects';
import { badRequest, HttpError, unauthorized } from '../errors';
import { reduce, sessionIdOf, type SessionState } from './reducer';
import type { NotificationWebhooks } from './notificationWebhooks';
import { ReplayStore } from './replayStore';
import { verifyWebhook } from './signature';

export interface WebhookRequest {
  raw: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export interface ListQuery {
  status?: ActivityStatus[];
  projectId?: string;
  limit: number;
  cursor?: string;
}

interface CachedProject {
  project: { id: string; owner_id: string; name: string };
  webhookSecret: string;
  until: number;
}

const PROJECT_CACHE_MS = 5000;

/** Largest webhook body accepted (the plugin's excerpts keep bodies far smaller). */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

/**
 * The activity table: fed by the opencode plugin's signed webhook, read by GET /api/activity.
 * Every visible change is published to the owner as activity.updated; transitions that need
 * the user (finished, failed, needs approval) also as notification.created.
 */
export class ActivityService {
  private readonly replays: ReplayStore;
  private readonly projectCache = new Map<string, CachedProject>();
  /** One event at a time per session, so two quick events never read the same old row. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly hub: EventHub,
    private readonly projects: ProjectService,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    /** Outgoing notification webhooks: every notification is offered to the owner's. */
    private readonly notifier?: NotificationWebhooks,
    /** session.started for a session seen the first time (the project's timeline records it). */
    private readonly bus?: DomainBus,
  ) {
    this.replays = new ReplayStore(db);
  }

  /** Verifies and applies one webhook call; throws 401 for anything not signed by the project. */
  async receive(req: WebhookRequest): Promise<{ accepted: boolean; changed: boolean }> {
    const raw = req.raw;
    if (raw === undefined || !req.signature || !req.timestamp) throw unauthorized('Unsigned webhook.');
    if (Buffer.byteLength(raw) > MAX_WEBHOOK_BYTES) throw new HttpError(413, 'too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`);
    let claimed: unknown;
    try {
      claimed = (JSON.parse(raw) as { projectId?: unknown }).projectId;
    } catch {
      throw unauthorized('Unsigned webhook.');
    }
    const now = this.now();
    const known = typeof claimed === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(claimed) ? await this.project(claimed, now) : undefined;
    // An unknown project answers like a bad signature: the caller learns nothing about ids.
    if (!known) throw unauthorized('Bad webhook signature.');
    const { project, webhookSecret } = known;
    const verdict = verifyWebhook(webhookSecret, req.timestamp, req.signature, raw, now);
    if (!verdict.ok) {
      this.log.warn('webhook rejected', { projectId: project.id, reason: verdict.reason });
      throw unauthorized(verdict.reason === 'timestamp outside the window' ? 'Webhook timestamp is too old or in the future.' : 'Bad webhook signature.');
    }
    if (!(await this.replays.firstSeen(req.signature, now))) throw unauthorized('Webhook replayed.');
    const parsed = OpencodeWebhook.safeParse(JSON.parse(raw));
    if (!parsed.success) throw badRequest('invalid_webhook', 'The webhook body does not match the contract.', parsed.error.issues.slice(0, 3));
    const body = parsed.data;
    if (body.event.type === AGENT_GIT_PUSH) return this.agentPushed(project.id, body.event.properties);
    const sessionId = sessionIdOf(body.event);
    if (!sessionId || sessionId.length > 128) return { accepted: false, changed: false };
    const key = `${project.id}:${sessionId}`;
    const run = (this.chains.get(key) ?? Promise.resolve()).catch(() => {}).then(() =>
      this.apply(project.id, project.owner_id, project.name, sessionId, { ...body.event, meta: body.meta }));
    this.chains.set(key, run);
    try {
      return { accepted: true, changed: await run };
    } finally {
      if (this.chains.get(key) === run) this.chains.delete(key);
    }
  }

  /** The agent's own `git push` (the plugin's report): on the project's timeline, not in the activity feed. */
  private async agentPushed(projectId: string, properties: unknown): Promise<{ accepted: boolean; changed: boolean }> {
    const push = AgentGitPush.safeParse(properties);
    if (!push.success) throw badRequest('invalid_webhook', 'The git push report does not match the contract.', push.error.issues.slice(0, 3));
    await this.bus?.emit('agent.pushed', { projectId, command: push.data.command, exit: push.data.exit, ok: push.data.ok });
    return { accepted: true, changed: false };
  }

  /**
   * The project and its secret, cached briefly: a busy agent posts several events a second and the
   * lookup plus decryption was most of a webhook's cost. A rename shows in notifications after
   * PROJECT_CACHE_MS at most.
   */
  private async project(id: string, now: number): Promise<CachedProject | undefined> {
    const hit = this.projectCache.get(id);
    if (hit && hit.until > now) return hit;
    const row = await this.projects.rowById(id);
    if (!row) {
      this.projectCache.delete(id);
      return undefined;
    }
    const entry = { project: { id: row.id, owner_id: row.owner_id, name: row.name }, webhookSecret: (await this.projects.secrets(id)).webhookSecret, until: now + PROJECT_CACHE_MS };
    if (this.projectCache.size > 1000) this.projectCache.clear();
    this.projectCache.set(id, entry);
    return entry;
  }

  async list(ownerId: string, q: ListQuery): Promise<ActivityPage> {
    let query = this.db.selectFrom('activity').innerJoin('projects', 'projects.id', 'activity.project_id')
      .selectAll('activity').select('projects.name as project_name')
      .where('activity.owner_id', '=', ownerId);
    if (q.projectId) query = query.where('activity.project_id', '=', q.projectId);
    if (q.status?.length) query = query.where('activity.status', 'in', q.status);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      query = query.where((eb) => eb.or([
        eb('activity.updated_at', '<', c.u),
        eb.and([eb('activity.updated_at', '=', c.u), eb.or([
          eb('activity.project_id', '<', c.p),
          eb.and([eb('activity.project_id', '=', c.p), eb('activity.session_id', '<', c.s)]),
        ])]),
      ]));
    }
    const rows = await query.orderBy('activity.updated_at', 'desc').orderBy('activity.project_id', 'desc').orderBy('activity.session_id', 'desc')
      .limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toSession(r, r.project_name)),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    };
  }

  private async apply(projectId: string, ownerId: string, projectName: string, sessionId: string, event: Parameters<typeof reduce>[1]): Promise<boolean> {
    const row = await this.db.selectFrom('activity').selectAll().where('project_id', '=', projectId).where('session_id', '=', sessionId).executeTakeFirst();
    const { next, changed, notify } = reduce(row ? toState(row) : undefined, event, new Date(this.now()).toISOString());
    const values = fromState(next);
    if (!row) {
      try {
        await this.db.insertInto('activity').values({ project_id: projectId, session_id: sessionId, owner_id: ownerId, ...values }).execute();
      } catch (err) {
        // The project was deleted since it was cached: like an unknown project.
        if (/FOREIGN KEY|foreign key/.test(String(err))) {
          this.projectCache.delete(projectId);
          throw unauthorized('Bad webhook signature.');
        }
        throw err;
      }
      await this.bus?.emit('session.started', { projectId, sessionId, parentSessionId: next.parentSessionId, title: next.title });
    } else if (JSON.stringify(toState(row)) !== JSON.stringify(next)) {
      await this.db.updateTable('activity').set(values).where('project_id', '=', projectId).where('session_id', '=', sessionId).execute();
    }
    if (changed) {
      const session = toSession({ project_id: projectId, session_id: sessionId, owner_id: ownerId, ...values }, projectName);
      this.hub.publish(ownerId, 'activity.updated', { session });
      if (notify) {
        const title = next.title || 'Session';
        const note = { kind: notify.kind, projectId, sessionId, text: `${projectName}: "${title}" ${notify.detail}`, ...(notify.permission ? { permission: notify.permission } : {}) };
        this.hub.publish(ownerId, 'notification.created', note);
        // The outgoing webhook never holds up the plugin's call: a failure to queue is logged.
        this.notifier?.enqueue(ownerId, note, projectName).catch((err: unknown) =>
          this.log.error('could not queue a notification webhook delivery', { error: err instanceof Error ? err.message : String(err) }));
      }
    }
    return changed;
  }
}

function toState(r: ActivityRow): SessionState {
  return {
    parentSessionId: r.parent_session_id, title: r.title, status: r.status, startedAt: r.started_at, updatedAt: r.updated_at,
    runningSince: r.running_since, busyMs: r.busy_ms, excerpt: r.excerpt, error: r.error, filesChanged: r.files_changed,
    pending: JSON.parse(r.pending_permissions) as string[],
  };
}

function fromState(s: SessionState): Omit<ActivityRow, 'project_id' | 'session_id' | 'owner_id'> {
  return {
    parent_session_id: s.parentSessionId, title: s.title, status: s.status, started_at: s.startedAt, updated_at: s.updatedAt,
    running_since: s.runningSince, busy_ms: s.busyMs, excerpt: s.excerpt, error: s.error, files_changed: s.filesChanged,
    pending_permissions: JSON.stringify(s.pending),
  };
}

function toSession(r: ActivityRow, projectName: string): ActivitySession {
  return {
    projectId: r.project_id, projectName, sessionId: r.session_id, parentSessionId: r.parent_session_id,
    title: r.title, status: r.status, startedAt: r.started_at, updatedAt: r.updated_at,
    durationMs: r.busy_ms, runningSince: r.running_since, excerpt: r.excerpt, error: r.error, filesChanged: r.files_changed,
  };
}

function encodeCursor(r: ActivityRow): string {
  return Buffer.from(JSON.stringify({ u: r.updated_at, p: r.project_id, s: r.session_id })).toString('base64url');
}

function decodeCursor(cursor: string): { u: string; p: string; s: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { u?: unknown; p?: unknown; s?: unknown };
    if (typeof c.u === 'string' && typeof c.p === 'string' && typeof c.s === 'string') return { u: c.u, p: c.p, s: c.s };
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'This cursor is not one GET /api/activity returned.');
}
