import type { Db } from '../db/database';
import type { Updateable } from 'kysely';
import { insertionOrder, lockKey } from '../db/dialect';
import type { ProjectRow, ProjectsTable } from '../db/schema';
import { ProjectCreate, type Project, type ProjectStatus, type ProjectUpdate } from '../contract';
import type { EventHub } from '../events/eventHub';
import { badRequest, notFound } from '../errors';
import { newId } from '../security/tokens';
import type { TierService } from './tiers';
import { slugCandidates, slugify } from './slug';
import { ProjectPageCache, type ProjectPage } from './projectPageCache';
import type { ApplyOptions, ProjectRecords, ProjectSecrets, RuntimePatch } from '../runtime/projectRecords';
import { randomSecret, type SecretBox } from '../runtime/secretBox';
import type { ProjectStatusAuthority } from './projectStatusAuthority';

export type { ProjectSecrets, RuntimePatch } from '../runtime/projectRecords';

const passwordContext = (id: string) => `project:${id}:opencode_password`;
const webhookContext = (id: string) => `project:${id}:webhook_secret`;

/** Projects, always scoped to their owner: another user's project does not exist for you. */
export class ProjectService implements ProjectRecords {
  private readonly pages = new ProjectPageCache();

  constructor(
    private readonly db: Db,
    private readonly tiers: TierService,
    private readonly hub: EventHub,
    private readonly runtime: string,
    private readonly box: SecretBox,
    /** The project's status authority: every status change goes through it. */
    private readonly status: ProjectStatusAuthority,
  ) {}

  /** Every project of the owner, newest first (for callers inside the API; routes page with `page`). */
  async list(ownerId: string): Promise<Project[]> {
    const rows = await this.db.selectFrom('projects').selectAll().where('owner_id', '=', ownerId)
      .orderBy('created_at', 'desc').orderBy(insertionOrder(this.db), 'desc').execute();
    return rows.map(toProject);
  }

  /**
   * One page of the owner's projects, newest first, for a client: with `listTag` (read before, see
   * listTag) a page read under the same tag is answered from memory without reading the rows again.
   */
  async page(ownerId: string, limit: number, cursor?: string, listTag?: string): Promise<ProjectPage> {
    if (listTag === undefined) return this.readPage(ownerId, limit, cursor);
    return this.pages.get(ownerId, listTag, limit, cursor, () => this.readPage(ownerId, limit, cursor));
  }

  /**
   * Keyset paging on (created_at, insertion order), so a project created or deleted between two pages
   * neither repeats nor shifts the rest.
   */
  private async readPage(ownerId: string, limit: number, cursor?: string): Promise<ProjectPage> {
    const seq = insertionOrder(this.db);
    let query = this.db.selectFrom('projects').selectAll().select(seq.as('list_seq')).where('owner_id', '=', ownerId);
    if (cursor) {
      const c = decodeListCursor(cursor);
      query = query.where((eb) => eb.or([
        eb('created_at', '<', c.at),
        eb.and([eb('created_at', '=', c.at), eb(seq, '<', c.seq)]),
      ]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy(seq, 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toProject),
      nextCursor: rows.length > limit && last ? encodeListCursor(last.created_at, Number(last.list_seq)) : null,
    };
  }

  /** The tag of the owner's list, renewed by a trigger on every change of one of their projects (migration 0017). */
  async listTag(ownerId: string): Promise<string> {
    const row = await this.db.selectFrom('project_list_versions').select('tag').where('owner_id', '=', ownerId).executeTakeFirst();
    return row?.tag ?? 'none';
  }

  async get(ownerId: string, id: string): Promise<Project> {
    return toProject(await this.row(ownerId, id));
  }

  async create(ownerId: string, input: ProjectCreate): Promise<Project> {
    const body = ProjectCreate.parse(input);
    const tier = body.tierId ? await this.tiers.requireUsable(body.tierId) : await this.tiers.getDefault();
    const now = new Date().toISOString();
    const id = newId();
    await this.db.transaction().execute(async (trx) => {
      await lockKey(trx, `project-slugs:${ownerId}`); // two creates at once must not both take a slug
      const base = slugify(body.name);
      let slug: string | undefined;
      for (let from = 1; !slug; from += 100) {
        const candidates = slugCandidates(base, from, 100);
        const taken = await trx.selectFrom('projects').select('slug').where('owner_id', '=', ownerId).where('slug', 'in', candidates).execute();
        const takenSet = new Set(taken.map((t) => t.slug));
        slug = candidates.find((c) => !takenSet.has(c));
      }
      await trx.insertInto('projects').values({
        id, owner_id: ownerId, name: body.name, slug, tier_id: tier.id,
        provider_override: body.providerOverride,
        repo_url: body.repository?.url ?? null, repo_branch: body.repository?.branch ?? null,
        sync_enabled: body.repository?.sync.enabled ? 1 : 0, sync_direction: body.repository?.sync.direction ?? 'both',
        status: 'not_deployed' satisfies ProjectStatus, status_reason: null, runtime: body.runtime ?? this.runtime,
        agent_url: null, vnc_url: null, created_at: now, updated_at: now,
        opencode_password_enc: this.box.seal(randomSecret(), passwordContext(id)),
        webhook_secret_enc: this.box.seal(randomSecret(), webhookContext(id)),
        instance_id: null,
      }).execute();
    });
    const project = await this.get(ownerId, id);
    this.hub.publish(ownerId, 'project.created', { project });
    return project;
  }

  async update(ownerId: string, id: string, patch: ProjectUpdate): Promise<Project> {
    await this.row(ownerId, id);
    const set: Updateable<ProjectsTable> = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.tierId !== undefined) set.tier_id = (await this.tiers.requireUsable(patch.tierId)).id;
    if (patch.providerOverride !== undefined) set.provider_override = patch.providerOverride;
    if (patch.repository !== undefined) {
      set.repo_url = patch.repository?.url ?? null;
      set.repo_branch = patch.repository?.branch ?? null;
      set.sync_enabled = patch.repository?.sync.enabled ? 1 : 0;
      if (patch.repository) set.sync_direction = patch.repository.sync.direction;
    }
    await this.db.updateTable('projects').set(set).where('id', '=', id).where('owner_id', '=', ownerId).execute();
    const project = await this.get(ownerId, id);
    this.hub.publish(ownerId, 'project.updated', { project });
    return project;
  }

  /** The runtime the project is driven by from now on (Move to Runtime…, once its state has moved). */
  async setRuntime(id: string, runtime: string): Promise<void> {
    const row = await this.rowById(id);
    if (!row) throw notFound('Project');
    await this.db.updateTable('projects').set({ runtime, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
    this.hub.publish(row.owner_id, 'project.updated', { project: await this.get(row.owner_id, id) });
  }

  async delete(ownerId: string, id: string): Promise<void> {
    await this.row(ownerId, id);
    await this.db.deleteFrom('projects').where('id', '=', id).where('owner_id', '=', ownerId).execute();
    this.hub.publish(ownerId, 'project.deleted', { id });
  }

  /** The project's row whoever owns it: for the runtime machinery, never for routes. */
  async rowById(id: string): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Owner-checked row: another user's project is "not found". */
  async ownedRow(ownerId: string, id: string): Promise<ProjectRow> {
    return this.row(ownerId, id);
  }

  /**
   * The decrypted opencode password and webhook secret. Projects from before secrets existed get
   * theirs now. The values go only to the runtime driver and the agent proxy; never log them.
   */
  async secrets(id: string): Promise<ProjectSecrets> {
    const row = await this.rowById(id);
    if (!row) throw notFound('Project');
    let { opencode_password_enc: pw, webhook_secret_enc: hook } = row;
    if (!pw || !hook) {
      pw ??= this.box.seal(randomSecret(), passwordContext(id));
      hook ??= this.box.seal(randomSecret(), webhookContext(id));
      await this.db.updateTable('projects').set({ opencode_password_enc: pw, webhook_secret_enc: hook }).where('id', '=', id).execute();
    }
    return { opencodePassword: this.box.open(pw, passwordContext(id)), webhookSecret: this.box.open(hook, webhookContext(id)) };
  }

  /** A warm-pool deploy: the project takes the pooled agent's password; the old one reached no agent. */
  async adoptOpencodePassword(id: string, password: string): Promise<void> {
    await this.db.updateTable('projects').set({ opencode_password_enc: this.box.seal(password, passwordContext(id)) }).where('id', '=', id).execute();
  }

  /**
   * Records what the runtime says, through the project's status authority (projectStatusAuthority.ts), which
   * publishes project.status when the status or reason changes and project.updated when what the
   * client shows otherwise (URLs, notes) changes.
   */
  applyRuntime(id: string, patch: RuntimePatch, options?: ApplyOptions): Promise<Project | undefined> {
    return this.status.apply(id, patch, options);
  }

  /** Every project on this server (for reconciliation after a restart). */
  allRows(): Promise<ProjectRow[]> {
    return this.db.selectFrom('projects').selectAll().execute();
  }

  /** Removes the row (its operations go with it); the caller has already removed the runtime side. */
  async deleteRow(ownerId: string, id: string): Promise<void> {
    await this.db.deleteFrom('projects').where('id', '=', id).where('owner_id', '=', ownerId).execute();
    this.hub.publish(ownerId, 'project.deleted', { id });
  }

  private async row(ownerId: string, id: string) {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (!row) throw notFound('Project');
    return row;
  }
}

export function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    tierId: r.tier_id,
    providerOverride: r.provider_override,
    repository: r.repo_url
      ? { url: r.repo_url, branch: r.repo_branch ?? 'main', sync: { enabled: r.sync_enabled === 1, direction: r.sync_direction } }
      : null,
    status: r.status as ProjectStatus,
    statusReason: r.status_reason,
    runtime: r.runtime,
    urls: { agent: r.agent_url, vnc: r.vnc_url },
    runtimeNotes: parseNotes(r.runtime_notes),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function parseNotes(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function encodeListCursor(at: string, seq: number): string {
  return Buffer.from(JSON.stringify({ a: at, s: seq })).toString('base64url');
}

function decodeListCursor(cursor: string): { at: string; seq: number } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { a?: unknown; s?: unknown };
    if (typeof c.a === 'string' && Number.isSafeInteger(c.s)) return { at: c.a, seq: c.s as number };
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'This cursor is not one GET /api/projects returned.');
}
