import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { epochMsType } from '../dialect';

export const m0015ReplicaLeases: Migration = {
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
};
