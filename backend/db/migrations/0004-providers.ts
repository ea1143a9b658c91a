import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0004Providers: Migration = {
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
};
