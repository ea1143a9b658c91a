import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { epochMsType } from '../dialect';

export const m0019ProjectTimeline: Migration = {
  async up(db: Kysely<unknown>) {
    // Issue #15: what happened to each project (deploys, crashes and their reason, pushes, …), newest
    // first by (at, id). Kept to TIMELINE_RETENTION entries per project (backend/timeline); the rows go
    // with their project.
    await db.schema.createTable('project_timeline')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('at', epochMsType(db), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('project_timeline_project_at').on('project_timeline')
      .columns(['project_id', 'at', 'id']).execute();
  },
};
