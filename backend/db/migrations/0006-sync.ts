import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0006Sync: Migration = {
  async up(db: Kysely<unknown>) {
    // GitHub sync (backend/sync): operations gain fetch/push/pull/import. SQLite cannot alter a
    // CHECK constraint, so the table is rebuilt with the same columns, rows and indexes.
    await db.schema.createTable('operations_0006')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deploy', 'start', 'stop', 'restart', 'delete', 'fetch', 'push', 'pull', 'import')`))
      .addColumn('force', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`))
      .addColumn('steps', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('error', 'text')
      .addColumn('cancellable', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await sql`insert into operations_0006 (id, project_id, owner_id, kind, force, state, steps, error, cancellable, created_at, started_at, finished_at)
      select id, project_id, owner_id, kind, force, state, steps, error, cancellable, created_at, started_at, finished_at from operations`.execute(db);
    await db.schema.dropTable('operations').execute();
    await db.schema.alterTable('operations_0006').renameTo('operations').execute();
    await db.schema.createIndex('operations_project_created').on('operations').columns(['project_id', 'created_at']).execute();
    await sql`create unique index operations_one_active on operations(project_id) where state in ('queued', 'running')`.execute(db);
    // Per project: when it was last fetched (and the fetched commit: the lease of a force push),
    // last synced and which way, when it was imported, and how it pulls.
    await db.schema.createTable('project_sync')
      .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
      .addColumn('last_fetch_at', 'text')
      .addColumn('last_fetched_sha', 'text')
      .addColumn('last_sync_at', 'text')
      .addColumn('last_sync_direction', 'text', (c) => c.check(sql`last_sync_direction in ('push', 'pull')`))
      .addColumn('imported_at', 'text')
      .addColumn('pull_mode', 'text', (c) => c.notNull().defaultTo('merge').check(sql`pull_mode in ('merge', 'rebase')`))
      .addColumn('last_error', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // One GitHub token per user, SecretBox-sealed (bound to user:<id>:github), for one host.
    await db.schema.createTable('github_credentials')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('token_enc', 'text', (c) => c.notNull())
      .addColumn('hint', 'text', (c) => c.notNull())
      .addColumn('login', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
