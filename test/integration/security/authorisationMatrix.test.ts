import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Project, TokenCreated } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { exampleOf, fillPath, operationsOf, type OpenApiOp } from './openapiRoutes';

interface Probe { op: OpenApiOp; variant: string; url: string; token?: string; body?: unknown; allowed: number[] }

/**
 * Generated from /api/openapi.json: every route × {no token, bad token, revoked token, prefix and
 * case variants, another user's ids, random ids} must answer 401 or 404 (403 for admin-only routes
 * called by a user), never 2xx, never a 403 that confirms someone else's resource, never 5xx.
 */
describe('API security: the authorisation matrix over every route of /api/openapi.json', function () {
  this.timeout(120_000);
  let api: TestApi;
  let ops: OpenApiOp[];
  let malloryToken: string;
  let revokedToken: string;
  /** The admin's (alice's) resources, which mallory must not reach. */
  let alice: Record<string, string>;

  before(async () => {
    api = await startTestApi();
    const admin = client(api.url, api.adminToken);
    const users = api.server.services.users;
    const { id: malloryId } = await users.createUser('mallory', 'user');
    malloryToken = (await users.createToken(malloryId, 'matrix')).secret;
    const revoked = await users.createToken(malloryId, 'revoked');
    revokedToken = revoked.secret;
    await users.revokeToken(revoked.token.id, malloryId);
    const project = (await admin.post<Project>('/api/projects', { name: 'alice private' })).body;
    const token = (await admin.post<TokenCreated>('/api/tokens', { name: 'alice second' })).body;
    alice = { id: project.id, tokenId: token.token.id, sessionID: 'ses_alice1', requestID: 'per_alice1', messageID: 'msg_alice1' };
    ops = operationsOf((await admin.get<never>('/api/openapi.json')).body);
    assert.ok(ops.length > 60, `only ${ops.length} operations`);
  });
  after(() => api?.close());

  function probes(): Probe[] {
    const out: Probe[] = [];
    for (const op of ops) {
      const body = op.bodySchema ? exampleOf(op.bodySchema) : undefined;
      const randomIds = Object.fromEntries(op.params.map((p) => [p, p === 'sessionID' ? 'ses_random1' : p === 'requestID' ? 'per_random1' : randomUUID()]));
      const path = fillPath(op.path, randomIds);
      const add = (variant: string, url: string, allowed: number[], token?: string) => out.push({ op, variant, url, token, body, allowed });
      if (op.access !== 'public') {
        add('no token', path, [401]);
        add('bad token', path, [401], 'hgr_' + 'A'.repeat(43));
        add('malformed token', path, [401], 'not-a-token');
        add('revoked token', path, [401], revokedToken);
      }
      for (const variant of [path.replace('/api/', '/API/'), path.replace('/api/', '/Api/'), '/' + path, path.toUpperCase(), path.replace('/api/', '/api//')]) {
        add(`variant ${variant.slice(0, 6)}`, variant, [401]);
        add(`variant ${variant.slice(0, 6)} with a token`, variant, [401, 404], malloryToken);
      }
      if (op.params.length && op.access !== 'public') {
        const user = op.access === 'admin' ? [403] : [404, 400];
        add('random ids', path, user, malloryToken);
        const own = op.params.map((p) => (p === 'id' && op.path.startsWith('/api/projects/') ? ['id', alice.id] : p === 'id' && op.path.startsWith('/api/tokens/') ? ['id', alice.tokenId] : [p, alice[p] ?? randomIds[p]!]));
        if (own.some(([p, v]) => v !== randomIds[p!])) add("another user's ids", fillPath(op.path, Object.fromEntries(own)), user, malloryToken);
      }
    }
    return out;
  }

  it('answers 401/404 (403 for admin-only routes) and never 2xx or 5xx', async () => {
    const all = probes();
    const failures: string[] = [];
    const tally = new Map<number, number>();
    let validatedFirst = 0;
    for (const p of all) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (p.token) headers.Authorization = `Bearer ${p.token}`;
      const res = await fetch(api.url + p.url, {
        method: p.op.method, headers, body: p.op.method === 'GET' || p.op.method === 'DELETE' ? undefined : JSON.stringify(p.body ?? {}),
        signal: AbortSignal.timeout(10_000),
      });
      const text = p.op.stream && res.status === 200 ? '(stream)' : await res.text();
      if (p.op.stream && res.status === 200) await res.body?.cancel();
      tally.set(res.status, (tally.get(res.status) ?? 0) + 1);
      if (res.status === 400) validatedFirst++;
      const shaped = res.status < 300 || /^\{"error":\{"code":"[a-z_0-9]+","message":/.test(text);
      if (!p.allowed.includes(res.status) || !shaped) failures.push(`${p.op.method} ${p.url} [${p.variant}] → ${res.status} ${text.slice(0, 160)}`);
    }
    console.log(`      authorisation matrix: ${ops.length} operations, ${all.length} requests tried, ${failures.length} failed; statuses ${JSON.stringify(Object.fromEntries(tally))} (${validatedFirst} refused as invalid before the owner check)`);
    assert.deepEqual(failures, []);
    assert.equal((await client(api.url).get('/api/health')).status, 200);
  });

  it("lets mallory see none of alice's project through any project route (404 with a valid body)", async () => {
    const mallory = client(api.url, malloryToken);
    for (const op of ops.filter((o) => o.path.startsWith('/api/projects/{id}') && !o.stream)) {
      const url = fillPath(op.path, { id: alice.id!, sessionID: 'ses_alice1', requestID: 'per_alice1', opId: randomUUID() });
      const res = await mallory.call(op.method, url, op.method === 'GET' || op.method === 'DELETE' ? undefined : exampleOf(op.bodySchema));
      assert.equal(res.status, 404, `${op.method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.equal((await client(api.url, api.adminToken).get(`/api/projects/${alice.id}`)).status, 200, "alice's project is still there");
  });
});
