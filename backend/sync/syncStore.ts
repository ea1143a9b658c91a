import type { Db } from '../db/database';
import type { ProjectSyncTable } from '../db/schema';
import type { Selectable } from 'kysely';

export type SyncRecord = Selectable<ProjectSyncTable>;

/** project_sync rows: what sync remembers between operations (migration 0006_sync). */
export class SyncStore {
  constructor(private readonly db: Db) {}

  async get(projectId: string): Promise<SyncRecord | undefined> {
    return this.db.selectFrom('project_sync').selectAll().where('project_id', '=', projectId).executeTakeFirst();
  }

  async update(projectId: string, patch: Partial<Omit<SyncRecord, 'project_id' | 'updated_at'>>): Promise<void> {
    const updated_at = new Date().toISOString();
    await this.db.insertInto('project_sync')
      .values({
        project_id: projectId, last_fetch_at: null, last_fetched_sha: null, last_sync_at: null, last_sync_direction: null,
        imported_at: null, last_error: null, ...patch, updated_at,
      })
      .onConflict((oc) => oc.column('project_id').doUpdateSet({ ...patch, updated_at }))
      .execute();
  }
}
