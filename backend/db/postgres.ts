import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { PostgresTextPlugin } from './postgresText';

// int8 (count(*), bigint epoch-ms columns) arrives as a string by default; every value Hangar
// stores fits a double exactly (epoch ms, counters), so read them as numbers as SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A PostgreSQL database for the API (HANGAR_DATABASE_URL=postgres://…), as a connection pool. */
export function openPostgres(url: string, poolSize = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'hangar-api' });
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', () => { /* the pool replaces it on the next query */ });
  // Nor one in use: pg fails its queries with the error and also emits it on the client, which
  // nobody listens to while it is checked out (an uncaught exception that ended the process).
  pool.on('connect', (client) => { client.on('error', () => { /* its queries fail with it */ }); });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PostgresTextPlugin()] });
}

/** The URL without its password, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
