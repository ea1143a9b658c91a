import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0011Settings: Migration = {
  async up(db: Kysely<unknown>) {
    // Issue #15: server-side user settings (backend/settings): the OpenCode permissions every
    // project inherits and the sync defaults; and each project's permission override. JSON
    // documents validated by backend/contract/settings.ts on the way in and out.
    await db.schema.createTable('user_settings')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('sync_pull_mode', 'text', (c) => c.notNull().defaultTo('merge'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('project_permissions')
      .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
      .addColumn('permissions', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
