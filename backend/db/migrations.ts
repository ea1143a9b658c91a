import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { dialectOf, epochMsType, floatType, projectListTagTriggers } from './dialect';

/**
 * Versioned migrations, applied in name order at start-up. Never edit one that has shipped:
 * add the next number instead. Each runs on SQLite and on PostgreSQL: write them with the schema
 * builder, and where the two differ ask backend/db/dialect.ts (the SQL SQLite runs stays the same).
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
        .addColumn('cpus', floatType(db), (c) => c.notNull())
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
  '0006_sync': {
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
  },
  '0008_notify': {
    async up(db: Kysely<unknown>) {
      // Webhook signatures seen within the timestamp window (backend/activity/replayStore.ts): a
      // replay is refused across API restarts too. Rows expire; the store prunes them.
      await db.schema.createTable('webhook_replays')
        .addColumn('signature', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', epochMsType(db), (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_replays_expires').on('webhook_replays').column('expires_at').execute();
      // One outgoing notification webhook per user; the signing secret is SecretBox-sealed
      // (context user:<id>:notify_webhook_secret), never returned.
      await db.schema.createTable('notification_webhooks')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret_enc', 'text')
        .addColumn('kinds', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The delivery log and queue: pending rows survive a restart and are retried with backoff.
      await db.schema.createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('project_name', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed')`))
        .addColumn('status_code', 'integer')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('next_attempt_at', epochMsType(db))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_deliveries_user_created').on('notification_deliveries').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '0007_oauth': {
    async up(db: Kysely<unknown>) {
      // Provider sign-ins in progress (backend/oauth): GitHub's device flow and authorisation-code +
      // PKCE redirects. The device code and the PKCE verifier are sealed (SecretBox, bound to
      // oauth_flow:<id>); a redirect's state is kept only as its SHA-256, and is single-use.
      await db.schema.createTable('oauth_flows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provider_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('device', 'redirect')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'complete', 'expired', 'denied', 'cancelled', 'error')`))
        .addColumn('user_code', 'text')
        .addColumn('verification_uri', 'text')
        .addColumn('interval_s', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('slow_downs', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state_hash', 'text', (c) => c.unique())
        .addColumn('redirect_uri', 'text')
        .addColumn('secret_enc', 'text')
        .addColumn('error', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oauth_flows_user').on('oauth_flows').columns(['user_id', 'created_at']).execute();
      // A refresh that failed leaves the credential in place but marks it: the user must sign in again.
      await db.schema.alterTable('provider_credentials').addColumn('status', 'text', (c) => c.notNull().defaultTo('ok')).execute();
      await db.schema.alterTable('provider_credentials').addColumn('status_reason', 'text').execute();
    },
  },
  '0009_github_tokens_per_host': {
    async up(db: Kysely<unknown>) {
      // Issue #16: a user keeps one GitHub token per host (github.com, a GitHub Enterprise host, a
      // private git host) instead of one in all; the row that existed stays, keyed by its host.
      await db.schema.createTable('github_credentials_0009')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('token_enc', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('login', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('github_credentials_user_host', ['user_id', 'host'])
        .execute();
      await sql`insert into github_credentials_0009 (user_id, host, token_enc, hint, login, created_at, updated_at)
        select user_id, host, token_enc, hint, login, created_at, updated_at from github_credentials`.execute(db);
      await db.schema.dropTable('github_credentials').execute();
      await db.schema.alterTable('github_credentials_0009').renameTo('github_credentials').execute();
    },
  },
  '0010_idempotency_keys': {
    async up(db: Kysely<unknown>) {
      // Issue #14: the first successful answer to a POST sent with an Idempotency-Key, per user, for 24 h.
      // A 'pending' row is the request in progress; its lease lets a new process take over after a crash.
      await db.schema.createTable('idempotency_keys')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('content_type', 'text')
        .addColumn('body', 'text')
        .addColumn('locked_until', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_user_key', ['user_id', 'key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
    },
  },
  '0013_postgres_insertion_order': {
    async up(db: Kysely<unknown>) {
      // PostgreSQL has no rowid: projects of equal created_at list newest first by this instead
      // (backend/db/dialect.ts insertionOrder). SQLite keeps its rowid and needs nothing.
      if (dialectOf(db) !== 'postgres') return;
      await db.schema.alterTable('projects')
        .addColumn('created_seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity()).execute();
    },
  },
  '0011_settings': {
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
  },
  '0014_shared_events': {
    async up(db: Kysely<unknown>) {
      // Issue #19: the events of every user's /api/events stream, numbered by the database so
      // that every replica sends them in one order and replays them from any replica
      // (backend/events/sharedEventHub.ts). SQLite (one process) keeps its in-memory hub.
      if (dialectOf(db) !== 'postgres') return;
      await db.schema.createTable('events')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_user_id').on('events').columns(['user_id', 'id']).execute();
    },
  },
  '0015_replica_leases': {
    async up(db: Kysely<unknown>) {
      // Issue #19: which replica runs an operation and when it last said so (a replica that stops
      // renewing is dead: another fails its operations), and one lease per background job so that
      // each runs in one replica at a time (backend/services/operationLeases.ts, backend/jobs).
      await db.schema.alterTable('operations').addColumn('replica_id', 'text').execute();
      await db.schema.alterTable('operations').addColumn('heartbeat_at', epochMsType(db)).execute();
      // A cancel asked of another replica than the one running it: the runner sees it at its next renewal.
      await db.schema.alterTable('operations').addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createTable('job_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', epochMsType(db), (c) => c.notNull())
        .addColumn('acquired_at', epochMsType(db), (c) => c.notNull())
        .execute();
    },
  },
  '0017_project_list_versions': {
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
  },
  '0019_project_timeline': {
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
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
