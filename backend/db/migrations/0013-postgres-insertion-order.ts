import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf } from '../dialect';

export const m0013PostgresInsertionOrder: Migration = {
  async up(db: Kysely<unknown>) {
    // PostgreSQL has no rowid: projects of equal created_at list newest first by this instead
    // (backend/db/dialect.ts insertionOrder). SQLite keeps its rowid and needs nothing.
    if (dialectOf(db) !== 'postgres') return;
    await db.schema.alterTable('projects')
      .addColumn('created_seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity()).execute();
  },
};
