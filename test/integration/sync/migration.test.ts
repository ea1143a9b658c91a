// 0006_sync rebuilds the operations table to lift its CHECK on `kind`: rows, the one-active-per-project
// index and the foreign key survive; sync kinds become storable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider } from '../../../backend/db/migrations';
import type { Database } from '../../../backend/db/schema';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('migration 0006_sync', () => {
  let dir: string;
  let db: Kysely<Database>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-mig-'));
    const sqlite = new SQLite(path.join(dir, 'db.sqlite'));
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  });
  after(async () => {
    await db.destroy();
    removeDataDir(dir);
  });

  const op = (id: string, kind: string, state: string) => sql`insert into operations (id, project_id, owner_id, kind, force, state, steps, cancellable, created_at)
    values (${id}, 'p1', 'u1', ${kind}, 0, ${state}, '[]', 0, '2026-01-01T00:00:00Z')`.execute(db);

  it('keeps existing operations and stores sync kinds afterwards', async () => {
    const migrator = new Migrator({ db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0005_activity')).error, undefined);
    const now = '2026-01-01T00:00:00Z';
    await sql`insert into users (id, username, role, created_at) values ('u1', 'u', 'admin', ${now})`.execute(db);
    await sql`insert into container_tiers (id, name, cpus, memory, memory_reservation, storage_gb, image_type, exposed_ports, created_at, updated_at)
      values ('t1', 'T', 1, '1g', '1g', 1, 'cli', '4096', ${now}, ${now})`.execute(db);
    await sql`insert into projects (id, owner_id, name, slug, tier_id, status, runtime, created_at, updated_at)
      values ('p1', 'u1', 'P', 'p', 't1', 'not_deployed', 'local', ${now}, ${now})`.execute(db);
    await op('o1', 'deploy', 'succeeded');
    await assert.rejects(op('o2', 'push', 'succeeded'), /CHECK constraint failed/);

    const { error, results } = await migrator.migrateToLatest();
    assert.equal(error, undefined);
    assert.ok(results?.some((r) => r.migrationName === '0006_sync' && r.status === 'Success'));
    assert.deepEqual((await db.selectFrom('operations').select(['id', 'kind']).execute()), [{ id: 'o1', kind: 'deploy' }]);
    for (const [i, kind] of ['fetch', 'push', 'pull', 'import'].entries()) await op(`s${i}`, kind, 'succeeded');
    await assert.rejects(op('bad', 'bogus', 'succeeded'), /CHECK constraint failed/);
    await op('a1', 'pull', 'running');
    await assert.rejects(op('a2', 'push', 'queued'), /UNIQUE constraint failed/, 'one active operation per project');
    await assert.rejects(sql`insert into operations (id, project_id, owner_id, kind, force, state, steps, cancellable, created_at)
      values ('x', 'nope', 'u1', 'push', 0, 'failed', '[]', 0, ${now})`.execute(db), /FOREIGN KEY constraint failed/);
    await db.insertInto('project_sync').values({ project_id: 'p1', last_fetch_at: now, last_fetched_sha: 'abc', last_sync_at: null, last_sync_direction: 'push', imported_at: null, last_error: null, updated_at: now }).execute();
    await sql`delete from projects where id = 'p1'`.execute(db);
    assert.equal((await db.selectFrom('project_sync').selectAll().execute()).length, 0, 'sync rows go with the project');
  });
});

describe('migration 0009_github_tokens_per_host', () => {
  let dir: string;
  let db: Kysely<Database>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-mig-'));
    const sqlite = new SQLite(path.join(dir, 'db.sqlite'));
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  });
  after(async () => {
    await db.destroy();
    removeDataDir(dir);
  });

  it('keeps the one token a user had, keyed by its host, and then holds one token per host', async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
    assert.equal((await migrator.migrateTo('0008_notify')).error, undefined);
    const now = '2026-01-01T00:00:00Z';
    await sql`insert into users (id, username, role, created_at) values ('u1', 'u', 'admin', ${now})`.execute(db);
    await sql`insert into github_credentials (user_id, host, token_enc, hint, login, created_at, updated_at)
      values ('u1', 'github.com', 'v1.sealed', 'ghp_…abcd', null, ${now}, ${now})`.execute(db);
    await assert.rejects(sql`insert into github_credentials (user_id, host, token_enc, hint, created_at, updated_at)
      values ('u1', 'git.example.com', 'v1.x', 'h', ${now}, ${now})`.execute(db), /UNIQUE|PRIMARY KEY/, 'one token per user before');
    const { error, results } = await migrator.migrateToLatest();
    assert.equal(error, undefined);
    assert.ok(results?.some((r) => r.migrationName === '0009_github_tokens_per_host' && r.status === 'Success'));
    assert.deepEqual(await db.selectFrom('github_credentials').select(['user_id', 'host', 'token_enc', 'hint']).execute(),
      [{ user_id: 'u1', host: 'github.com', token_enc: 'v1.sealed', hint: 'ghp_…abcd' }]);
    await sql`insert into github_credentials (user_id, host, token_enc, hint, created_at, updated_at)
      values ('u1', 'git.example.com', 'v1.x', 'h', ${now}, ${now})`.execute(db);
    await assert.rejects(sql`insert into github_credentials (user_id, host, token_enc, hint, created_at, updated_at)
      values ('u1', 'git.example.com', 'v1.y', 'h', ${now}, ${now})`.execute(db), /UNIQUE|PRIMARY KEY/, 'one per host');
    await sql`delete from users where id = 'u1'`.execute(db);
    assert.equal((await db.selectFrom('github_credentials').selectAll().execute()).length, 0, 'tokens go with the user');
  });
});
