import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/**
 * Versioned migrations, applied in name order at start-up. Never edit one that has shipped:
 * add the next number instead.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'user')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
      await db.schema.createTable('container_tiers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('cpus', 'real', (c) => c.notNull())
        .addColumn('memory', 'text', (c) => c.notNull())
        .addColumn('memory_reservation', 'text', (c) => c.notNull())
        .addColumn('storage_gb', 'integer', (c) => c.notNull())
        .addColumn('has_desktop_access', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('image_type', 'text', (c) => c.notNull().check(sql`image_type in ('cli', 'desktop')`))
        .addColumn('exposed_ports', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(100))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('tier_id', 'text', (c) => c.notNull().references('container_tiers.id'))
        .addColumn('provider_override', 'text')
        .addColumn('repo_url', 'text')
        .addColumn('repo_branch', 'text')
        .addColumn('sync_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sync_direction', 'text', (c) => c.notNull().defaultTo('both'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('runtime', 'text', (c) => c.notNull())
        .addColumn('agent_url', 'text')
        .addColumn('vnc_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('projects_owner_slug', ['owner_id', 'slug'])
        .execute();
      await db.schema.createIndex('projects_owner_created').on('projects').columns(['owner_id', 'created_at']).execute();
      await db.schema.createIndex('projects_tier').on('projects').column('tier_id').execute();
    },
  },
  '0002_operations_and_runtime': {
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
  },
  '0003_runtime_settings': {
    async up(db: Kysely<unknown>) {
      // Runtime secrets set with the CLI (`hangar-api coolify set-token`), sealed by SecretBox with
      // a context naming the key (runtime:coolify:token), never in the clear.
      await db.schema.createTable('runtime_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_encrypted', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0005_activity': {
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
  },
  '0004_providers': {
    async up(db: Kysely<unknown>) {
      // The last good models.dev catalog with its ETag: the fallback when models.dev is unreachable.
      await db.schema.createTable('catalog_cache')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('etag', 'text')
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .execute();
      // Provider secrets are sealed by SecretBox bound to user:<id>:provider:<providerId>; the hint is masked.
      await db.schema.createTable('provider_credentials')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provider_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('api', 'oauth')`))
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('expires_at', 'text')
        .addPrimaryKeyConstraint('provider_credentials_pk', ['user_id', 'provider_id'])
        .execute();
      await db.schema.createTable('custom_providers')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull())
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('custom_providers_pk', ['user_id', 'id'])
        .execute();
      await db.schema.createTable('user_model_defaults')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('provider_id', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The model half of a project's override; the provider half is projects.provider_override.
      await db.schema.createTable('project_models')
        .addColumn('project_id', 'text', (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
