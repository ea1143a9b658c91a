import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The two databases the API runs on: SQLite (the embedded default) and PostgreSQL (several
 * replicas). Queries and migrations are written once with Kysely; the few places where the SQL
 * differs ask here, so every difference is listed in this file.
 */
export type DialectName = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: migrations see Kysely<unknown>
type AnyDb = Kysely<any>;

export function dialectOf(db: AnyDb): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A float column: SQLite's REAL is 8 bytes, PostgreSQL's `real` only 4. */
export function floatType(db: AnyDb): 'real' | 'double precision' {
  return dialectOf(db) === 'postgres' ? 'double precision' : 'real';
}

/** Epoch milliseconds: SQLite's INTEGER is 8 bytes, PostgreSQL's `integer` overflows in 1970. */
export function epochMsType(db: AnyDb): 'integer' | 'bigint' {
  return dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
}

/**
 * Orders rows of equal created_at by insertion: SQLite's rowid, or the identity column that
 * migration 0013 adds on PostgreSQL (which has no rowid).
 */
export function insertionOrder(db: AnyDb): RawBuilder<unknown> {
  return dialectOf(db) === 'postgres' ? sql`created_seq` : sql`rowid`;
}

/**
 * Serialises transactions that check and then write the same rows (a free slug, say). SQLite runs
 * one transaction at a time already; on PostgreSQL this takes a transaction-scoped advisory lock
 * on the key, released at commit or rollback. Call it inside the transaction.
 */
export async function lockKey(trx: AnyDb, key: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
