import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf } from '../dialect';

export const m0014SharedEvents: Migration = {
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
};
