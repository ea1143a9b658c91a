import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { floatType } from '../dialect';

export const m0001Initial: Migration = {
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
};
