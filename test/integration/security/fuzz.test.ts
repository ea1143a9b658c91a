import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Project } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { exampleOf, fillPath, operationsOf, type OpenApiOp } from './openapiRoutes';

/** At least this many requests per run (the issue asks for 10,000). */
const RUNS = Number(process.env.HANGAR_FUZZ_RUNS ?? 10_000);
const CONCURRENCY = 16;

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  stream: boolean;
}

/** Bodies: the schema's example with fields replaced by hostile JSON, any JSON, deep nesting, or not JSON at all. */
function bodyArb(op: OpenApiOp): fc.Arbitrary<string | undefined> {
  const example = (op.bodySchema ? exampleOf(op.bodySchema) : {}) as Record<string, unknown>;
  const hostile = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom('', ' ', '\u0000', '\u001b[31m', '../../etc/passwd', 'file:///etc/passwd', 'x'.repeat(70_000), -1, 1e308, Number.MAX_SAFE_INTEGER, null, true, [], {}),
    fc.string({ unit: 'binary', maxLength: 64 }),
  );
  const mutated = fc.record({ key: fc.oneof(fc.constantFrom(...Object.keys(example), '__proto__', 'constructor'), fc.string({ maxLength: 12 })), value: hostile })
    .map(({ key, value }) => JSON.stringify({ ...example, [key]: value }));
  const nested = fc.integer({ min: 30, max: 12_000 }).map((n) => `{"parts":${'['.repeat(n)}${']'.repeat(n)}}`);
  return fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: fc.constant(JSON.stringify(example)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: nested },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function requestArb(ops: OpenApiOp[], ids: Record<string, string>, tokens: string[]): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('..', '%2e%2e', '%2F', '%00', 'ses_../x', 'x'.repeat(300), '%E2%80%AE', 'A-B', '0', '-1'),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );
  return fc.constantFrom(...ops).chain((op) => fc.record({
    op: fc.constant(op),
    method: fc.oneof({ weight: 6, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'MKCOL', 'LOCK') }),
    params: fc.array(segment, { minLength: op.params.length, maxLength: op.params.length }),
    useOwnIds: fc.boolean(),
    prefix: fc.oneof({ weight: 8, arbitrary: fc.constant('/api/') }, { weight: 1, arbitrary: fc.constantFrom('/API/', '/Api/', '//api/', '/api//', '/api/./') }),
    query: fc.dictionary(fc.constantFrom('limit', 'path', 'ticket', 'confirm', 'deleteVolumes', 'lastEventId', 'directory', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
    token: fc.constantFrom(...tokens, ''),
    contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
    encoding: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-bogus') }),
    extra: fc.dictionary(fc.constantFrom('X-Forwarded-For', 'Origin', 'Last-Event-ID', 'X-Opencode-Directory', 'Cookie', 'X-Hangar-Signature'), fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), { maxKeys: 2 }),
    body: bodyArb(op),
  })).map((r) => {
    const values = Object.fromEntries(r.op.params.map((p, i) => [p, r.params[i] !== undefined ? decodeURIComponent(r.params[i]!) : r.useOwnIds ? (ids[p] ?? randomUUID()) : randomUUID()]));
    let url = fillPath(r.op.path, values).replace(/^\/api\//, r.prefix);
    const qs = new URLSearchParams(r.query).toString();
    if (qs) url += `?${qs}`;
    const headers: Record<string, string> = { ...r.extra };
    if (r.token) headers.Authorization = `Bearer ${r.token}`;
    if (r.contentType) headers['Content-Type'] = r.contentType;
    if (r.encoding) headers['Content-Encoding'] = r.encoding;
    const bodyless = r.method === 'GET' || r.method === 'HEAD';
    return { method: r.method, url, headers, body: bodyless ? undefined : r.body, stream: r.op.stream };
  });
}

describe('API security: property-based fuzzing from the OpenAPI document and its zod schemas', function () {
  this.timeout(240_000);
  let api: TestApi;

  before(async () => {
    // Deploys may start: /bin/false makes each fail at once instead of starting agents.
    api = await startTestApi({ HANGAR_OPENCODE_BIN: '/bin/false' });
  });
  after(() => api?.close());

  it(`sends ${RUNS}+ mutated requests (methods, paths, headers, encodings, bodies, nesting): no 5xx, no crash, healthy after`, async () => {
    const admin = client(api.url, api.adminToken);
    const users = api.server.services.users;
    const { id: malloryId } = await users.createUser('mallory', 'user');
    const mallory = (await users.createToken(malloryId, 'fuzz')).secret;
    const project = (await admin.post<Project>('/api/projects', { name: 'fuzz target' })).body;
    const ops = operationsOf((await admin.get<never>('/api/openapi.json')).body);
    const seed = Number(process.env.HANGAR_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const genStart = Date.now();
    const requests = fc.sample(requestArb(ops, { id: project.id, sessionID: 'ses_fuzz1', requestID: 'per_fuzz1' }, [api.adminToken, mallory, 'hgr_' + 'B'.repeat(43)]), { numRuns: RUNS, seed });
    const generatedMs = Date.now() - genStart;
    const started = Date.now();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let errors = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        try {
          const res = await fetch(api.url + r.url, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(15_000) });
          const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
          const text = streaming ? '' : await res.text();
          if (streaming) await res.body?.cancel();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 && res.status !== 501) failures.push(`${r.method} ${r.url.slice(0, 160)} ${JSON.stringify(r.headers).slice(0, 200)} body=${(r.body ?? '').slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`);
        } catch (err) {
          // undici refuses some methods/headers itself; the server never saw those
          if (err instanceof TypeError && /method|header|ByteString/i.test(String(err.message) + String((err.cause as Error | undefined)?.message))) continue;
          errors++;
          failures.push(`${r.method} ${r.url.slice(0, 160)} → ${err instanceof Error ? `${err.name}: ${err.message} ${(err.cause as Error | undefined)?.message ?? ''}` : String(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const tried = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`      fuzz (seed ${seed}): ${tried} requests answered of ${requests.length} generated (${generatedMs} ms) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed (${errors} transport errors); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
    assert.ok(tried >= RUNS * 0.98, `only ${tried} requests reached the API`);
    assert.equal((await client(api.url).get('/api/health')).status, 200);
    assert.equal((await admin.post('/api/projects', { name: 'still works' })).status, 201);
  });
});
