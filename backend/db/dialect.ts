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

/**
 * Migration 0017: triggers that give an owner's project list a new random tag whenever one of their
 * projects is inserted, updated or deleted (the ETag of GET /api/projects, backend/routes/projects.ts).
 */
export function projectListTagTriggers(dialect: DialectName): string[] {
  if (dialect === 'postgres') {
    return [
      `create function hangar_project_list_tag() returns trigger language plpgsql as $$
       declare owner text;
       begin
         if tg_op = 'DELETE' then owner := old.owner_id; else owner := new.owner_id; end if;
         insert into project_list_versions (owner_id, tag) values (owner, md5(random()::text || clock_timestamp()::text))
           on conflict (owner_id) do update set tag = excluded.tag;
         return null;
       end $$`,
      `create trigger projects_list_tag after insert or update or delete on projects
         for each row execute function hangar_project_list_tag()`,
    ];
  }
  const bump = (row: 'new' | 'old') => `insert into project_list_versions (owner_id, tag) values (${row}.owner_id, lower(hex(randomblob(12))))
    on conflict (owner_id) do update set tag = excluded.tag;`;
  return [
    `create trigger projects_list_tag_insert after insert on projects begin ${bump('new')} end`,
    `create trigger projects_list_tag_update after update on projects begin ${bump('new')} end`,
    `create trigger projects_list_tag_delete after delete on projects begin ${bump('old')} end`,
  ];
}
