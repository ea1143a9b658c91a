import type { Db } from '../db/database';
import { sql, type Updateable } from 'kysely';
import type { ProjectsTable } from '../db/schema';
import { ProjectCreate, type Project, type ProjectStatus, type ProjectUpdate } from '../contract';
import type { EventHub } from '../events/eventHub';
import { notFound } from '../errors';
import { newId } from '../security/tokens';
import type { TierService } from './tiers';
import { slugify, uniqueSlug } from './slug';

/** Projects, always scoped to their owner: another user's project does not exist for you. */
export class ProjectService {
  constructor(
    private readonly db: Db,
    private readonly tiers: TierService,
    private readonly hub: EventHub,
    private readonly runtime: string,
  ) {}

  async list(ownerId: string): Promise<Project[]> {
    const rows = await this.db.selectFrom('projects').selectAll().where('owner_id', '=', ownerId)
      .orderBy('created_at', 'desc').orderBy(sql`rowid`, 'desc').execute();
    return rows.map(toProject);
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
      const taken = await trx.selectFrom('projects').select('slug').where('owner_id', '=', ownerId)
        .where('slug', 'like', `${slugify(body.name)}%`).execute();
      const slug = uniqueSlug(slugify(body.name), new Set(taken.map((t) => t.slug)));
      await trx.insertInto('projects').values({
        id, owner_id: ownerId, name: body.name, slug, tier_id: tier.id,
        provider_override: body.providerOverride,
        repo_url: body.repository?.url ?? null, repo_branch: body.repository?.branch ?? null,
        sync_enabled: body.repository?.sync.enabled ? 1 : 0, sync_direction: body.repository?.sync.direction ?? 'both',
        status: 'not_deployed' satisfies ProjectStatus, status_reason: null, runtime: this.runtime,
        agent_url: null, vnc_url: null, created_at: now, updated_at: now,
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

  async delete(ownerId: string, id: string): Promise<void> {
    await this.row(ownerId, id);
    await this.db.deleteFrom('projects').where('id', '=', id).where('owner_id', '=', ownerId).execute();
    this.hub.publish(ownerId, 'project.deleted', { id });
  }

  private async row(ownerId: string, id: string) {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (!row) throw notFound('Project');
    return row;
  }
}

export function toProject(r: ProjectsTable): Project {
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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
