import { PermissionSettings, type EffectivePermissions } from '../contract';
import type { Db } from '../db/database';
import type { DomainBus } from '../events/domainBus';
import type { ProjectService } from '../services/projects';
import { effectivePermissions } from './permissions';

const parse = (json: string | undefined): PermissionSettings => {
  if (!json) return {};
  const parsed = PermissionSettings.safeParse(JSON.parse(json));
  // A row this version cannot read counts as unset: the agent falls back to the inherited values.
  return parsed.success ? parsed.data : {};
};

/**
 * OpenCode permissions: each user's default (user_settings.permissions) and each project's override
 * (project_permissions), their effective value with its source, and a hook that hands every change
 * to the running agents it affects (liveUpdate.ts: PATCH /global/config, then instance dispose).
 */
export class PermissionService {
  /** `bus`: permissions.changed after each change (awaited: the answer comes once running agents have it). */
  constructor(private readonly db: Db, private readonly projects: ProjectService, private readonly bus: DomainBus) {}

  async userDefault(userId: string): Promise<PermissionSettings> {
    const row = await this.db.selectFrom('user_settings').select('permissions').where('user_id', '=', userId).executeTakeFirst();
    return parse(row?.permissions);
  }

  async setUserDefault(userId: string, value: PermissionSettings): Promise<PermissionSettings> {
    const now = new Date().toISOString();
    const permissions = JSON.stringify(PermissionSettings.parse(value));
    await this.db.insertInto('user_settings').values({ user_id: userId, permissions, sync_pull_mode: 'merge', updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ permissions, updated_at: now })).execute();
    await this.bus.emit('permissions.changed', { userId, projectId: null });
    return this.userDefault(userId);
  }

  async projectOverride(userId: string, projectId: string): Promise<PermissionSettings> {
    await this.projects.ownedRow(userId, projectId);
    return this.overrideOf(projectId);
  }

  /** Replaces the project's override as a whole; `{}` removes it (the project follows the user's default). */
  async setProjectOverride(userId: string, projectId: string, value: PermissionSettings): Promise<EffectivePermissions> {
    await this.projects.ownedRow(userId, projectId);
    const clean = PermissionSettings.parse(value);
    const now = new Date().toISOString();
    if (Object.keys(clean).length === 0) {
      await this.db.deleteFrom('project_permissions').where('project_id', '=', projectId).execute();
    } else {
      const permissions = JSON.stringify(clean);
      await this.db.insertInto('project_permissions').values({ project_id: projectId, permissions, updated_at: now })
        .onConflict((oc) => oc.column('project_id').doUpdateSet({ permissions, updated_at: now })).execute();
    }
    await this.bus.emit('permissions.changed', { userId, projectId });
    return this.effective(userId, projectId);
  }

  async effective(userId: string, projectId: string): Promise<EffectivePermissions> {
    await this.projects.ownedRow(userId, projectId);
    return effectivePermissions(await this.userDefault(userId), await this.overrideOf(projectId));
  }

  /** For the agent config writer: what the project's agent must run with (its owner's layers). */
  async forProject(projectId: string): Promise<EffectivePermissions | undefined> {
    const row = await this.projects.rowById(projectId);
    if (!row) return undefined;
    return effectivePermissions(await this.userDefault(row.owner_id), await this.overrideOf(projectId));
  }

  private async overrideOf(projectId: string): Promise<PermissionSettings> {
    const row = await this.db.selectFrom('project_permissions').select('permissions').where('project_id', '=', projectId)
      .executeTakeFirst();
    return parse(row?.permissions);
  }
}
