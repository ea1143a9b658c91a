// The same schema and queries on SQLite and on PostgreSQL (issue #19): the migrations give both
// the same tables and columns, and the places where the two differ (epoch-ms integers, insertion
// order, NUL in text, concurrent check-then-insert) behave the same through the API.
// PostgreSQL is the test cluster of test/harness/postgres.mjs; under CI=true a missing one fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Project } from '../../../backend/contract';
import { openDatabase, type Db } from '../../../backend/db/database';
import { dialectOf } from '../../../backend/db/dialect';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

type Columns = Record<string, string[]>;

async function columnsOf(db: Db): Promise<Columns> {
  const tables = await db.introspection.getTables();
  const out: Columns = {};
  for (const t of tables) if (!t.name.startsWith('kysely_')) out[t.name] = t.columns.map((c) => c.name).sort();
  return out;
}

describe('database: SQLite and PostgreSQL run the same schema', function () {
  this.timeout(60_000);
  let pg: Postgres | null;
  const dirs: string[] = [];
  const tmp = (name: string) => { const d = fs.mkdtempSync(path.join(os.tmpdir(), `hangar-${name}-`)); dirs.push(d); return d; };

  before(async function () {
    pg = await requirePostgres({ log: () => {} });
    if (!pg) this.skip();
  });
  after(async () => {
    for (const d of dirs) removeDataDir(d);
    await pg?.stop();
  });

  it('migrates both to the same tables and columns (PostgreSQL adds only created_seq and the shared events table)', async () => {
    const lite = await openDatabase({ kind: 'sqlite', file: path.join(tmp('lite'), 'hangar.db') });
    const post = await openDatabase({ kind: 'postgres', url: await databaseUrlFor(tmp('pg')) });
    try {
      assert.equal(dialectOf(lite), 'sqlite');
      assert.equal(dialectOf(post), 'postgres');
      const a = await columnsOf(lite);
      const b = await columnsOf(post);
      assert.ok(Object.keys(a).length >= 18, `tables: ${Object.keys(a).join(', ')}`);
      // 0014: the events every replica shares (one process on SQLite keeps them in memory).
      assert.deepEqual(b.events?.sort(), ['at', 'data', 'id', 'type', 'user_id']);
      delete b.events;
      assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
      b.projects = b.projects!.filter((c) => c !== 'created_seq');
      assert.deepEqual(b, a);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(post);
      assert.ok(applied.rows.some((r) => r.name === '0013_postgres_insertion_order'));
    } finally {
      await lite.destroy();
      await post.destroy();
    }
  });

  it('keeps epoch milliseconds past 2^31 as numbers on PostgreSQL (bigint, read as number)', async () => {
    const db = await openDatabase({ kind: 'postgres', url: await databaseUrlFor(tmp('pg-ms')) });
    try {
      const at = Date.parse('2030-01-01T00:00:00Z');
      await db.insertInto('webhook_replays').values({ signature: 's', expires_at: at }).execute();
      const row = await db.selectFrom('webhook_replays').selectAll().executeTakeFirstOrThrow();
      assert.strictEqual(row.expires_at, at);
      const n = await db.selectFrom('webhook_replays').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.strictEqual(n.n, 1);
    } finally {
      await db.destroy();
    }
  });

  it('stores text with NUL characters on PostgreSQL (as U+FFFD) instead of failing the statement', async () => {
    const db = await openDatabase({ kind: 'postgres', url: await databaseUrlFor(tmp('pg-nul')) });
    try {
      await db.insertInto('catalog_cache').values({ key: 'k', url: 'u', body: 'a\0b', etag: null, fetched_at: 'now' }).execute();
      const row = await db.selectFrom('catalog_cache').select('body').where('body', 'in', ['a\0b']).executeTakeFirstOrThrow();
      assert.equal(row.body, 'a\uFFFDb');
    } finally {
      await db.destroy();
    }
  });

  describe('through the API on PostgreSQL', () => {
    let api: TestApi;
    before(async () => {
      const dir = tmp('pg-api');
      api = await startTestApi({ HANGAR_DATABASE_URL: await databaseUrlFor(dir) }, dir);
    });
    after(() => api?.close());

    it('gives concurrent creates of one name distinct slugs (no unique-constraint 500)', async () => {
      const admin = client(api.url, api.adminToken);
      const replies = await Promise.all(Array.from({ length: 12 }, () => admin.post<Project>('/api/projects', { name: 'Race' })));
      assert.deepEqual(replies.map((r) => r.status), Array(12).fill(201));
      assert.equal(new Set(replies.map((r) => r.body.slug)).size, 12);
    });

    it('lists projects created in the same millisecond newest first', async () => {
      const admin = client(api.url, api.adminToken);
      const me = (await admin.get<{ id: string }>('/api/me')).body.id;
      const db = api.server.services.db;
      const base = { owner_id: me, tier_id: 'standard', provider_override: null, repo_url: null, repo_branch: null, sync_enabled: 0,
        sync_direction: 'both' as const, status: 'not_deployed', status_reason: null, runtime: 'local', agent_url: null, vnc_url: null,
        created_at: '2000-01-01T00:00:00.000Z', updated_at: '2000-01-01T00:00:00.000Z', opencode_password_enc: null,
        webhook_secret_enc: null, instance_id: null };
      // Ids that sort the other way round from insertion: only the insertion order can put "second" first.
      await db.insertInto('projects').values({ ...base, id: 'zzzz-first', name: 'first', slug: 'same-ms-1' }).execute();
      await db.insertInto('projects').values({ ...base, id: 'aaaa-second', name: 'second', slug: 'same-ms-2' }).execute();
      const names = (await admin.get<{ items: Project[] }>('/api/projects')).body.items.map((p) => p.name);
      assert.deepEqual(names.slice(-2), ['second', 'first']);
      // The cursor carries the insertion order too: a page boundary between the two loses neither.
      const total = (await admin.get<{ items: Project[] }>('/api/projects')).body.items.length;
      const page = (await admin.get<{ items: Project[]; nextCursor: string }>(`/api/projects?limit=${total - 1}`)).body;
      const rest = (await admin.get<{ items: Project[] }>(`/api/projects?limit=5&cursor=${page.nextCursor}`)).body;
      assert.deepEqual([page.items.at(-1)!.name, ...rest.items.map((p) => p.name)], ['second', 'first']);
    });

    it("renews the list's ETag by trigger on every change (migration 0017), so an unchanged list answers 304", async () => {
      const admin = client(api.url, api.adminToken);
      const etag = (await admin.get('/api/projects')).headers.get('etag')!;
      assert.equal((await admin.call('GET', '/api/projects', undefined, { 'If-None-Match': etag })).status, 304);
      // A write straight to the table, as another replica's would be: the trigger renews the tag.
      await api.server.services.db.updateTable('projects').set({ status: 'stopped' }).where('id', '=', 'zzzz-first').execute();
      const after = await admin.call('GET', '/api/projects', undefined, { 'If-None-Match': etag });
      assert.equal(after.status, 200);
      assert.notEqual(after.headers.get('etag'), etag);
    });
  });
});
