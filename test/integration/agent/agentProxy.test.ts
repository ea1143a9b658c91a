import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody, Project } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { startAgentWorld, until, type AgentWorld } from './support';

/** A stand-in agent that records what the proxy sends and answers with headers that must not pass. */
async function recordingAgent() {
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  /** Connections the proxy opened, and the streamed answers whose request went away. */
  const counts = { connections: 0, open: 0, abortedStreams: 0 };
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/session/ses_stream/message')) {
      // A long transcript: one chunk now, then nothing until the client goes away.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[{"info":{}}');
      res.on('close', () => { if (!res.writableFinished) counts.abortedStreams++; });
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url?.startsWith('/agent')) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="opencode"' });
        res.end('unauthorized');
        return;
      }
      if (req.url?.startsWith('/vcs/diff')) return; // never answers: the proxy's timeout
      res.writeHead(200, {
        'Content-Type': 'application/json', 'Set-Cookie': 'sid=secret', 'X-Powered-By': 'opencode', Connection: 'keep-alive',
        'Access-Control-Allow-Origin': '*', 'WWW-Authenticate': 'Basic',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  server.on('connection', (socket) => {
    counts.connections++;
    counts.open++;
    socket.on('close', () => counts.open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, counts,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

describe('API: the agent proxy (real opencode)', function () {
  this.timeout(90_000);
  let w: AgentWorld;
  let password: string;

  before(async () => {
    w = await startAgentWorld();
    password = (await w.api.server.services.projects.secrets(w.project.id)).opencodePassword;
  });
  after(async () => w?.close());

  it('forwards the allowed routes: sessions CRUD, messages, status, permissions, files, vcs, providers, agents', async () => {
    const created = await w.alice.post<{ id: string; title: string }>(`${w.base}/session`, { title: 'first' });
    assert.equal(created.status, 200);
    assert.match(created.body.id, /^ses_[A-Za-z0-9]+$/);
    const sid = created.body.id;
    assert.equal((await w.alice.get<{ id: string }>(`${w.base}/session/${sid}`)).body.id, sid);
    const renamed = await w.alice.patch<{ title: string }>(`${w.base}/session/${sid}`, { title: 'renamed' });
    assert.deepEqual([renamed.status, renamed.body.title], [200, 'renamed']);
    const list = await w.alice.get<{ id: string }[]>(`${w.base}/session?limit=10`);
    assert.ok(list.body.some((s) => s.id === sid));
    assert.deepEqual((await w.alice.get(`${w.base}/session/${sid}/message?limit=5`)).body, []);
    assert.deepEqual((await w.alice.get(`${w.base}/session/status`)).body, {});
    assert.deepEqual((await w.alice.get(`${w.base}/permission`)).body, []);
    const found = await w.alice.get<unknown>(`${w.base}/find/file?query=opencode&limit=5`);
    assert.equal(found.status, 200);
    assert.match(JSON.stringify(found.body), /opencode\.json/);
    const content = await w.alice.get<{ content: string }>(`${w.base}/file/content?path=opencode.json`);
    assert.match(content.body.content, /fake-model/);
    const folder = await w.alice.get<{ name: string }[]>(`${w.base}/file?path=.`);
    assert.ok(folder.body.some((f) => f.name === 'opencode.json'));
    for (const p of ['/vcs', '/vcs/diff?mode=git', `/session/${sid}/diff`, '/provider', '/config/providers', '/agent']) {
      assert.equal((await w.alice.get(w.base + p)).status, 200, p);
    }
    const providers = await w.alice.get<{ providers: { id: string }[] }>(`${w.base}/config/providers`);
    assert.ok(providers.body.providers.some((p) => p.id === 'fake'));
    assert.equal((await w.alice.del(`${w.base}/session/${sid}`)).status, 200);
    const gone = await w.alice.get<ErrorBody>(`${w.base}/session/${sid}`);
    assert.deepEqual([gone.status, gone.body.error.code], [404, 'agent_rejected']);
  });

  it('answers 404 not_proxied for every other agent route, whatever the method', async () => {
    for (const [method, p] of [['GET', '/config'], ['PATCH', '/config'], ['PUT', '/auth/anthropic'], ['DELETE', '/auth/x'], ['GET', '/global/health'],
      ['POST', '/instance/dispose'], ['GET', '/doc'], ['PUT', '/session'], ['POST', '/session/status'], ['GET', ''], ['GET', '/'], ['POST', '/session/ses_abc/shell']] as const) {
      const res = await w.alice.call<ErrorBody>(method, w.base + p, method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.deepEqual([res.status, res.body.error.code], [404, 'not_proxied'], `${method} ${p}`);
    }
  });

  it('lists exactly the forwarded routes in the OpenAPI document', async () => {
    const doc = (await w.alice.get<{ paths: Record<string, Record<string, { tags: string[] }>> }>('/api/openapi.json')).body;
    const agent = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).filter(([, op]) => op.tags.includes('agent')).map(([m]) => `${m.toUpperCase()} ${p.replace('/api/projects/{id}/opencode', '')}`));
    assert.equal(agent.length, 27);
    for (const r of ['GET /event', 'POST /session/{sessionID}/prompt_async', 'POST /permission/{requestID}/reply', 'GET /file/content',
      'GET /command', 'POST /session/{sessionID}/command', 'GET /mcp', 'POST /mcp', 'POST /mcp/{name}/connect', 'POST /mcp/{name}/disconnect']) assert.ok(agent.includes(r), r);
    assert.ok(!agent.some((r) => r.includes('*')), 'the not_proxied fallback is not documented as a route');
  });

  it('refuses path traversal and foreign ids, and drops unknown query keys', async () => {
    for (const p of ['/session/..%2Fconfig', '/session/ses_a%2F..%2F..%2Fconfig', '/permission/..%2F..%2Fconfig/reply', '/session/msg_1']) {
      const res = await w.alice.call<ErrorBody>(p.endsWith('reply') ? 'POST' : 'GET', w.base + p, p.endsWith('reply') ? {} : undefined);
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], p);
    }
    for (const q of ['../../etc/passwd', '/etc/passwd', 'a/../../b', 'C:\\windows']) {
      const res = await w.alice.get<ErrorBody>(`${w.base}/file/content?path=${encodeURIComponent(q)}`);
      assert.equal(res.status, 400, q);
    }
    // fetch normalises an encoded dot-dot segment: what is left is not an allowed route.
    assert.equal((await w.alice.get<ErrorBody>(`${w.base}/session/%2E%2E/config`)).body.error.code, 'not_proxied');
    // A raw (unnormalised) dot-dot path never reaches an allowed route either.
    const raw = await new Promise<number>((resolve, reject) => {
      const u = new URL(w.api.url);
      http.get({ host: u.hostname, port: u.port, path: `${w.base}/session/../config`, headers: { Authorization: `Bearer ${w.api.adminToken}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject);
    });
    assert.equal(raw, 404);
    // `directory` would point opencode at another folder: it is not passed on.
    const listed = await w.alice.get<{ name: string }[]>(`${w.base}/file?path=.&directory=%2Fetc`);
    assert.ok(listed.body.some((f) => f.name === 'opencode.json'), JSON.stringify(listed.body).slice(0, 200));
  });

  it("answers 404 for another user's project and 409 project_not_running for a project that is not running", async () => {
    for (const p of ['/session/status', '/session', '/config', '/event']) {
      const res = await w.mallory.get<ErrorBody>(w.base + p);
      assert.deepEqual([res.status, res.body.error.code], [404, 'not_found'], p);
    }
    const idle = (await w.alice.post<Project>('/api/projects', { name: 'idle' })).body;
    for (const p of ['/session/status', '/event']) {
      const res = await w.alice.get<ErrorBody>(`/api/projects/${idle.id}/opencode${p}`);
      assert.deepEqual([res.status, res.body.error.code], [409, 'project_not_running'], p);
      assert.match(res.body.error.message, /not deployed/);
      assert.deepEqual(res.body.error.details, { status: 'not_deployed' });
    }
  });

  it('never shows the project password to the client', async () => {
    const basic = Buffer.from(`opencode:${password}`).toString('base64');
    for (const p of ['/session/status', '/session', '/config/providers', '/provider', '/agent', '/config']) {
      const res = await fetch(w.api.url + w.base + p, { headers: { Authorization: `Bearer ${w.api.adminToken}` } });
      const text = await res.text() + JSON.stringify([...res.headers]);
      assert.ok(!text.includes(password) && !text.includes(basic), `${p} leaks the password`);
      assert.equal(res.headers.get('www-authenticate'), null);
    }
  });

  describe('against a recording agent', () => {
    let rec: Awaited<ReturnType<typeof recordingAgent>>;
    let api: TestApi;
    let alice: ReturnType<typeof client>;
    let fake: Project;
    let recPassword: string;
    const fakeBase = () => `/api/projects/${fake.id}/opencode`;

    before(async () => {
      rec = await recordingAgent();
      api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_AGENT_TIMEOUT_MS: '1000', HANGAR_STATUS_POLL_MS: '3600000' });
      alice = client(api.url, api.adminToken);
      fake = (await alice.post<Project>('/api/projects', { name: 'recorded' })).body;
      // Test-only: point the project at the recorder as if the runtime reported it running there.
      await api.server.services.projects.applyRuntime(fake.id, { status: 'running', agentUrl: rec.url });
      recPassword = (await api.server.services.projects.secrets(fake.id)).opencodePassword;
    });
    after(async () => {
      await rec?.close();
      await api?.close();
    });

    it("sends the project's Basic auth and nothing of the client's headers, and returns only Content-Type", async () => {
      const res = await fetch(`${api.url}${fakeBase()}/session?limit=3&directory=/etc&workspace=x&evil=1`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${api.adminToken}`, 'Content-Type': 'application/json', Cookie: 'a=b', 'X-Forwarded-For': '1.2.3.4',
          'X-Opencode-Directory': '/etc', 'Proxy-Authorization': 'Basic eA==', Origin: 'http://localhost:1', 'User-Agent': 'client',
        },
        body: JSON.stringify({ title: 't' }),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ok: true });
      for (const h of ['set-cookie', 'x-powered-by', 'access-control-allow-origin', 'www-authenticate']) assert.equal(res.headers.get(h), null, h);
      const got = rec.seen.at(-1)!;
      assert.equal(got.url, '/session', 'unknown and directory query keys are dropped (POST /session takes none)');
      assert.equal(got.headers.authorization, 'Basic ' + Buffer.from(`opencode:${recPassword}`).toString('base64'));
      assert.equal(got.body, '{"title":"t"}');
      const sent = JSON.stringify(got.headers);
      assert.ok(!sent.includes(api.adminToken), "the client's token never reaches the agent");
      for (const h of ['cookie', 'x-forwarded-for', 'x-opencode-directory', 'proxy-authorization', 'origin']) assert.equal(got.headers[h], undefined, h);
      await alice.get(`${fakeBase()}/session?limit=3&directory=/etc&search=x`);
      const forwarded = new URL(rec.seen.at(-1)!.url, 'http://x');
      assert.deepEqual([forwarded.pathname, [...forwarded.searchParams].sort()], ['/session', [['limit', '3'], ['search', 'x']]]);
    });

    it('refuses a body over HANGAR_BODY_LIMIT before anything reaches the agent', async () => {
      const count = rec.seen.length;
      const huge = { parts: [{ type: 'text', text: 'x'.repeat(1_100_000) }] };
      const res = await alice.post<ErrorBody>(`${fakeBase()}/session/ses_abc/prompt_async`, huge);
      assert.deepEqual([res.status, res.body.error.code], [413, 'payload_too_large']);
      assert.equal(rec.seen.length, count);
    });

    it('maps the agent refusing the password to 502 agent_auth_failed and a hang to 504 agent_timeout', async () => {
      const auth = await alice.get<ErrorBody>(`${fakeBase()}/agent`);
      assert.deepEqual([auth.status, auth.body.error.code], [502, 'agent_auth_failed']);
      assert.match(auth.body.error.message, /Redeploy/);
      const slow = await alice.get<ErrorBody>(`${fakeBase()}/vcs/diff`);
      assert.deepEqual([slow.status, slow.body.error.code], [504, 'agent_timeout']);
    });

    it('sends sequential requests over one kept-alive connection to the agent', async () => {
      await alice.get(`${fakeBase()}/session/status`);
      const before = rec.counts.connections;
      for (let i = 0; i < 20; i++) {
        const res = await alice.get<{ ok: boolean }>(`${fakeBase()}/session/status`);
        assert.deepEqual([res.status, res.body], [200, { ok: true }]);
      }
      await alice.post(`${fakeBase()}/session`, { title: 'also pooled' });
      assert.equal(rec.counts.connections - before, 0, 'no new connection after the first request');
      assert.equal(rec.counts.open, 1);
    });

    it('streams an answer as it arrives and closes the upstream request when the client goes away', async () => {
      const controller = new AbortController();
      const res = await fetch(`${api.url}${fakeBase()}/session/ses_stream/message`, {
        headers: { Authorization: `Bearer ${api.adminToken}` }, signal: controller.signal,
      });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      assert.equal(Buffer.from((await reader.read()).value!).toString(), '[{"info":{}}', 'the first chunk arrives before the answer ends');
      controller.abort();
      await until('the upstream request to close', () => (rec.counts.abortedStreams === 1 ? true : undefined), 5000);
      // The pool still serves the next request.
      assert.equal((await alice.get(`${fakeBase()}/session/status`)).status, 200);
    });

    it('closes its connections to the agent when the project stops', async () => {
      await alice.get(`${fakeBase()}/session/status`);
      assert.ok(rec.counts.open >= 1);
      await api.server.services.projects.applyRuntime(fake.id, { status: 'stopped', agentUrl: null });
      // At once, not after the 4 s idle timeout.
      await until('the pooled connections to close', () => (rec.counts.open === 0 ? true : undefined), 2000);
      await api.server.services.projects.applyRuntime(fake.id, { status: 'running', agentUrl: rec.url });
      assert.equal((await alice.get(`${fakeBase()}/session/status`)).status, 200);
    });

    it('answers 502 agent_unreachable with a next step when nothing listens', async () => {
      await rec.close();
      const res = await alice.get<ErrorBody>(`${fakeBase()}/session/status`);
      assert.deepEqual([res.status, res.body.error.code], [502, 'agent_unreachable']);
      assert.match(res.body.error.message, /logs.*restart/);
    });
  });
});
