import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0005Activity: Migration = {
  async up(db: Kysely<unknown>) {
    // One row per opencode session, fed by the plugin's signed webhook (backend/activity).
    await db.schema.createTable('activity')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('parent_session_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('idle', 'running', 'waiting_for_permission', 'complete', 'error')`))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('running_since', 'text')
      .addColumn('busy_ms', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('excerpt', 'text')
      .addColumn('error', 'text')
      .addColumn('files_changed', 'integer')
      .addColumn('pending_permissions', 'text', (c) => c.notNull().defaultTo('[]'))
      .addPrimaryKeyConstraint('activity_pk', ['project_id', 'session_id'])
      .execute();
    await db.schema.createIndex('activity_owner_updated').on('activity').columns(['owner_id', 'updated_at']).execute();
  },
};
