import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { ApiTokenList, ErrorBody, Me, TokenCreated } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { onPostgres } from '../../harness/postgres.mjs';

describe('API: authentication and tokens', () => {
  let api: TestApi;

  before(async () => { api = await startTestApi(); });
  after(() => api.close());

  it('writes the first admin token to <data dir>/local-token with mode 0600', () => {
    const file = path.join(api.dataDir, 'local-token');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(file, 'utf8').trim(), /^hgr_[A-Za-z0-9_-]{43}$/);
  });

  it('stores tokens only as hashes', async () => {
    const rows = await api.server.services.db.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.match(r.token_hash, /^[0-9a-f]{64}$/);
      assert.notEqual(r.token_hash, api.adminToken);
    }
  });

  it('answers health without a token and everything else only with one', async () => {
    assert.equal((await client(api.url).get('/api/health')).status, 200);
    for (const p of ['/api/projects', '/api/container-tiers', '/api/openapi.json', '/api/events', '/api/me']) {
      const res = await client(api.url).get<ErrorBody>(p);
      assert.equal(res.status, 401, p);
      assert.equal(res.body.error.code, 'unauthorized');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="hangar"');
    }
    const wrong = await client(api.url, 'hgr_' + 'x'.repeat(43)).get<ErrorBody>('/api/projects');
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error.message, /unknown or revoked/);
  });

  it('creates, lists and revokes tokens; a revoked token stops working at once', async () => {
    const admin = client(api.url, api.adminToken);
    const me = await admin.get<Me>('/api/me');
    assert.deepEqual([me.body.username, me.body.role, me.body.tokenName], ['admin', 'admin', 'local']);
    const created = await admin.post<TokenCreated>('/api/tokens', { name: 'laptop' });
    assert.equal(created.status, 201);
    const laptop = client(api.url, created.body.secret);
    assert.equal((await laptop.get<Me>('/api/me')).body.tokenName, 'laptop');
    const list = await admin.get<ApiTokenList>('/api/tokens');
    const entry = list.body.items.find((t) => t.name === 'laptop');
    assert.ok(entry && entry.lastUsedAt, 'last used is recorded');
    assert.ok(!JSON.stringify(list.body).includes(created.body.secret), 'the secret is never listed');
    assert.equal((await admin.del(`/api/tokens/${created.body.token.id}`)).status, 200);
    assert.equal((await laptop.get('/api/me')).status, 401);
  });

  it("cannot revoke another user's token", async () => {
    const { id } = await api.server.services.users.createUser('eve', 'user');
    const eve = client(api.url, (await api.server.services.users.createToken(id, 'eve')).secret);
    const adminTokens = await client(api.url, api.adminToken).get<ApiTokenList>('/api/tokens');
    const res = await eve.del(`/api/tokens/${adminTokens.body.items[0]!.id}`);
    assert.equal(res.status, 404);
    assert.equal((await client(api.url, api.adminToken).get('/api/me')).status, 200);
  });

  it('serves an OpenAPI document generated from the contract', async () => {
    const res = await client(api.url, api.adminToken).get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    assert.equal(res.body.openapi, '3.1.0');
    for (const p of ['/api/projects', '/api/projects/{id}', '/api/container-tiers', '/api/container-tiers/default', '/api/container-tiers/{id}', '/api/events', '/api/tokens', '/api/health']) {
      assert.ok(res.body.paths[p], `missing ${p}`);
    }
    const post = res.body.paths['/api/projects']!.post as { requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } };
    assert.deepEqual(Object.keys(post.requestBody.content['application/json'].schema.properties).sort(), ['name', 'providerOverride', 'repository', 'runtime', 'tierId']);
  });
});

describe('API: restarts', () => {
  it('keeps data across a restart and neither re-seeds nor rewrites the token', async () => {
    const first = await startTestApi();
    const admin = client(first.url, first.adminToken);
    await admin.post('/api/projects', { name: 'survivor' });
    await first.close();
    const second = await startTestApi({}, first.dataDir);
    try {
      assert.equal(second.adminToken, first.adminToken);
      assert.equal(second.server.boot.createdAdmin, false);
      assert.equal(second.server.boot.seededTiers, false);
      const names = (await client(second.url, second.adminToken).get<{ items: { name: string }[] }>('/api/projects')).body.items.map((p) => p.name);
      assert.deepEqual(names, ['survivor']);
      if (!onPostgres()) {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(second.server.services.db);
        assert.equal(mode.rows[0]?.journal_mode, 'wal');
      }
    } finally {
      await second.close();
    }
  });
});
