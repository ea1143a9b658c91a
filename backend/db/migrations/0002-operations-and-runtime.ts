import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0002OperationsAndRuntime: Migration = {
  async up(db: Kysely<unknown>) {
    // Secrets are stored sealed by SecretBox (v1.<iv>.<tag>.<data>), never in the clear.
    await db.schema.alterTable('projects').addColumn('opencode_password_enc', 'text').execute();
    await db.schema.alterTable('projects').addColumn('webhook_secret_enc', 'text').execute();
    await db.schema.alterTable('projects').addColumn('instance_id', 'text').execute();
    await db.schema.alterTable('projects').addColumn('runtime_notes', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.createTable('operations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deploy', 'start', 'stop', 'restart', 'delete')`))
      .addColumn('force', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`))
      .addColumn('steps', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('error', 'text')
      .addColumn('cancellable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('operations_project_created').on('operations').columns(['project_id', 'created_at']).execute();
    // The database itself refuses a second active operation on a project.
    await sql`create unique index operations_one_active on operations(project_id) where state in ('queued', 'running')`.execute(db);
  },
};
