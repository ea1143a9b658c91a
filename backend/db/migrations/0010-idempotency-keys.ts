import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0010IdempotencyKeys: Migration = {
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
};
