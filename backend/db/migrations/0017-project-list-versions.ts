import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf, projectListTagTriggers } from '../dialect';

export const m0017ProjectListVersions: Migration = {
  async up(db: Kysely<unknown>) {
    // Issue #18: GET /api/projects answers If-None-Match with 304. Each owner's list has a tag that a
    // trigger renews on every insert, update and delete of one of their projects (whoever writes it,
    // on whichever replica), so checking it is one primary-key read. No row: the owner never had a
    // project, so the list is empty. No foreign key: deleting a user deletes their projects first.
    await db.schema.createTable('project_list_versions')
      .addColumn('owner_id', 'text', (c) => c.primaryKey())
      .addColumn('tag', 'text', (c) => c.notNull())
      .execute();
    for (const statement of projectListTagTriggers(dialectOf(db))) await sql.raw(statement).execute(db);
  },
};
