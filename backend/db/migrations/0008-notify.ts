import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { epochMsType } from '../dialect';

export const m0008Notify: Migration = {
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
};
