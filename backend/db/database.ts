import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Driver } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Config } from '../config';
import type { Database } from './schema';
import { migrationProvider } from './migrations';
import { ensurePrivateFiles } from '../security/dataDirMode';
import { openPostgres, redactDatabaseUrl } from './postgres';
import { cachingStatements } from './statementCache';

export type Db = Kysely<Database>;

/**
 * Opens the database named by the config (SQLite in WAL mode, or a PostgreSQL pool) and applies
 * pending migrations.
 */
export async function openDatabase(database: Config['database']): Promise<Db> {
  if (database.kind === 'postgres') return openPostgresDatabase(database.url);
  fs.mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
  // Created 0600 before SQLite opens it; its -wal and -shm are narrowed once they exist (below).
  fs.closeSync(fs.openSync(database.file, 'a', 0o600));
  ensurePrivateFiles([database.file]);
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new RollbackSafeSqliteDialect(sqlite) });
  await migrate(db);
  ensurePrivateFiles([database.file, `${database.file}-wal`, `${database.file}-shm`]);
  return db;
}

async function openPostgresDatabase(url: string): Promise<Db> {
  const db = openPostgres(url);
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy().catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    // pg's messages can quote the URL it was given: never the password.
    throw new Error(`PostgreSQL at ${redactDatabaseUrl(url)}: ${message.split(url).join(redactDatabaseUrl(url))}`, { cause: err });
  }
  return db;
}

export async function migrate(db: Db): Promise<string[]> {
  // Migrations are written on parallel branches: a database that applied a later one first must still
  // take an earlier one that arrived afterwards (each migration is independent of its siblings).
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * SQLite ends a transaction by itself on some errors (SQLITE_FULL on a full disk, I/O errors):
 * kysely's ROLLBACK then fails with "no transaction is active" and hides the real error (which
 * the API answers as 507). Roll back only what is still open.
 */
class RollbackSafeSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: cachingStatements(sqlite) });
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.sqlite.inTransaction) await rollback(connection);
    };
    return driver;
  }
}
