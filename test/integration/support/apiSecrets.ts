import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { SEALED_COLUMNS } from '../../../backend/providers/keyRotation';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { BINDING_FILE } from '../../../backend/runtime/local/warmPool';
import { databaseNameFor, onPostgres, startPostgres } from '../../harness/postgres.mjs';
import type { KnownSecret } from '../../harness/secretsScan.mjs';

type Row = Record<string, string | null>;

/** A test API's database, read without migrating or writing: SQLite's file or its PostgreSQL database. */
interface DatabaseReader {
  tables(): Promise<string[]>;
  rows(query: string): Promise<Row[]>;
  close(): Promise<void>;
}

function sqliteReader(file: string): DatabaseReader {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  return {
    tables: async () => (db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name),
    rows: async (query) => db.prepare(query).all() as Row[],
    close: async () => { db.close(); },
  };
}

async function postgresReader(url: string): Promise<DatabaseReader> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    tables: async () => (await client.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public'`)).rows.map((r) => r.name),
    rows: async (query) => (await client.query<Row>(query)).rows,
    close: () => client.end(),
  };
}

/** The reader of the data dir's database, or undefined when it has none (a test that never started an API there). */
async function openReader(dataDir: string): Promise<DatabaseReader | undefined> {
  if (!onPostgres()) {
    const file = path.join(dataDir, 'hangar.db');
    return fs.existsSync(file) ? sqliteReader(file) : undefined;
  }
  const cluster = await startPostgres({ log: () => {} });
  try {
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    const name = databaseNameFor(dataDir);
    const found = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    await admin.end();
    return found ? await postgresReader(cluster.url(name)) : undefined;
  } finally {
    await cluster.stop();
  }
}

/** A sealed value's plaintext as secrets: the string itself, or each long string in it when it is JSON (a credential). */
function plaintextSecrets(where: string, plain: string): KnownSecret[] {
  try {
    const leaves: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') leaves.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(plain));
    return leaves.filter((v) => v.length >= 12).map((value) => ({ name: `the sealed ${where}`, value }));
  } catch {
    return [{ name: `the sealed ${where}`, value: plain }];
  }
}

export interface DatabaseContents {
  /** Every value the API sealed (server passwords, webhook secrets, credentials...), opened with the dir's key. */
  secrets: KnownSecret[];
  /** PostgreSQL only: every row as text, to scan like SQLite's file. */
  dump?: string;
  /** Why the sealed values could not be opened, if so. */
  note?: string;
}

/** Reads what a stopped test API left in its database. */
export async function readDatabase(dataDir: string): Promise<DatabaseContents> {
  const reader = await openReader(dataDir);
  if (!reader) return { secrets: [], note: 'no database' };
  try {
    const tables = new Set(await reader.tables());
    let dump: string | undefined;
    if (onPostgres()) {
      const parts: string[] = [];
      for (const t of tables) for (const r of await reader.rows(`select row_to_json(t)::text as row from "${t}" t`)) parts.push(r.row ?? '');
      dump = parts.join('\n');
    }
    let key: Buffer;
    try {
      key = Buffer.from(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim(), 'base64');
    } catch {
      return { secrets: [], dump, note: 'no secret.key (the key came from the environment)' };
    }
    const box = new SecretBox(key);
    const secrets: KnownSecret[] = [];
    let unopened = 0;
    for (const col of SEALED_COLUMNS) {
      if (!tables.has(col.table)) continue;
      const keys = col.keys.map((k) => `"${k}"`).join(', ');
      for (const r of await reader.rows(`select ${keys}, "${col.column}" as sealed from "${col.table}" where "${col.column}" is not null`)) {
        const context = col.context(r);
        try {
          if (context && r.sealed) {
            const found = plaintextSecrets(`${col.table}.${col.column}`, box.open(r.sealed, context));
            // A local agent claimed from the warm pool learns its project's webhook secret (to sign its reports)
            // from a 0600 file in its own config dir (runtime/local/warmPool.ts): that one file is its home.
            const home = col.column === 'webhook_secret_enc' && r.id
              ? path.join(dataDir, 'projects', r.id, 'opencode-config', BINDING_FILE) : undefined;
            secrets.push(...found.map((f) => (home ? { ...f, home } : f)));
          }
        } catch {
          unopened++; // sealed with another key (a rotation test's old key)
        }
      }
    }
    return { secrets, dump, note: unopened ? `${unopened} sealed values not opened with secret.key` : undefined };
  } finally {
    await reader.close();
  }
}
