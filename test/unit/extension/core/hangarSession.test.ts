import assert from 'node:assert/strict';
import type http from 'node:http';
import type { Project } from '../../../../backend/contract';
import type { ConnectionState } from '../../../../extension/connection/connectionState';
import { HangarSession } from '../../../../extension/core/hangarSession';
import type { SecretStore } from '../../../../extension/core/ports';
import { SecretRegistry } from '../../../../extension/core/redact';
import { anEvent, aProject, aTier, eventually, json, sseFrame, startServer, type TestServer } from '../builders';

const TOKEN = 'tok-session-0123456789';

/** A small stand-in for the API: the routes the session uses, and a stream it can push to. */
async function fakeApi() {
  const projects: Project[] = [aProject()];
  const streams: http.ServerResponse[] = [];
  const server = await startServer((req, res) => {
    if (req.url === '/api/health') return json(res, 200, { ok: true, version: '9.9.9', uptimeSeconds: 1 });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: { code: 'unauthorised', message: 'bad token' } });
    switch (req.url) {
      case '/api/me': return json(res, 200, { id: 'u1', username: 'ada', role: 'admin', tokenName: 'local' });
      case '/api/projects': return json(res, 200, { items: projects });
      case '/api/container-tiers': return json(res, 200, { items: [aTier({ isDefault: true })] });
      case '/api/events':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(': ready\n\n');
        streams.push(res);
        return;
      default: return json(res, 404, { error: { code: 'not_found', message: 'nope' } });
    }
  });
  return { server, projects, streams };
}

function memorySecrets(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: async (k) => map.get(k), store: async (k, v) => { map.set(k, v); }, delete: async (k) => { map.delete(k); } };
}

const lines: string[] = [];
const log = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };

describe('HangarSession against a fake API', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let server: TestServer;
  let session: HangarSession;
  let secrets: ReturnType<typeof memorySecrets>;
  let saved: string[];
  let states: ConnectionState['kind'][];

  beforeEach(async () => {
    api = await fakeApi();
    server = api.server;
    secrets = memorySecrets();
    saved = [];
    states = [];
    lines.length = 0;
    session = new HangarSession({
      secrets, fetch, log, secretRegistry: new SecretRegistry(),
      saveServerUrl: async (u) => { saved.push(u); },
      streamOptions: { initialBackoffMs: 20, maxBackoffMs: 50 },
    });
    session.onDidChangeState((s) => states.push(s.kind));
  });
  afterEach(async () => {
    session.dispose();
    await server.close();
  });

  it('verifies the token, stores it under the server key, loads and follows events', async () => {
    const me = await session.connect(`${server.url}/`, TOKEN);
    assert.equal(me.username, 'ada');
    assert.deepEqual([...secrets.map.entries()], [[`hangar.token:${server.url}`, TOKEN]]);
    assert.deepEqual(saved, [server.url]);
    await eventually(() => session.store.projects.length === 1 && api.streams.length === 1, 2000, 'load and stream');
    api.streams[0]!.write(sseFrame(anEvent('project.created', { project: aProject({ id: 'p2', name: 'beta' }) }, 1)));
    await eventually(() => session.store.projects.length === 2, 2000, 'the event to land');
    assert.ok(!lines.join('\n').includes(TOKEN), 'the token never reaches the log');
  });

  it('does not store a token the server refuses', async () => {
    await assert.rejects(session.connect(server.url, 'wrong-token-123'), { status: 401 });
    assert.equal(secrets.map.size, 0);
    assert.equal(session.state.kind, 'disconnected');
  });

  it('goes offline when the server stops, and refetches after it comes back', async () => {
    await session.connect(server.url, TOKEN);
    await eventually(() => api.streams.length === 1, 2000, 'stream');
    const port = new URL(server.url).port;
    await server.close();
    await eventually(() => session.state.kind === 'offline', 3000, 'offline');
    assert.deepEqual(states.slice(0, 4), ['connecting', 'connected', 'connecting', 'offline']);

    // Same port, new data: the session must notice and refetch.
    api.projects.push(aProject({ id: 'p3', name: 'gamma' }));
    const http = await import('node:http');
    const revived = http.createServer((req, res) => {
      if (req.url === '/api/events') { res.writeHead(200, { 'Content-Type': 'text/event-stream' }); res.write(': hi\n\n'); return; }
      if (req.url === '/api/me') return json(res, 200, { id: 'u1', username: 'ada', role: 'admin', tokenName: 'local' });
      if (req.url === '/api/projects') return json(res, 200, { items: api.projects });
      return json(res, 200, { items: [] });
    });
    await new Promise<void>((r) => revived.listen(Number(port), '127.0.0.1', r));
    try {
      await eventually(() => session.state.kind === 'connected' && session.store.projects.length === 2, 4000, 'recovery');
    } finally {
      revived.closeAllConnections();
      await new Promise((r) => revived.close(r));
    }
  });

  it('offline, a sign that the network is back (window focus) tries the server at once, not after the backoff', async () => {
    const slow = new HangarSession({
      secrets, fetch, log, secretRegistry: new SecretRegistry(), saveServerUrl: async () => undefined,
      streamOptions: { initialBackoffMs: 60_000, maxBackoffMs: 60_000 },
    });
    try {
      const port = new URL(server.url).port;
      await server.close();
      secrets.map.set(`hangar.token:${server.url}`, TOKEN);
      await slow.resume(server.url);
      await eventually(() => slow.state.kind === 'offline', 3000, 'offline');
      const http = await import('node:http');
      const revived = http.createServer((req, res) => {
        if (req.url === '/api/events') { res.writeHead(200, { 'Content-Type': 'text/event-stream' }); res.write(': hi\n\n'); return; }
        if (req.url === '/api/me') return json(res, 200, { id: 'u1', username: 'ada', role: 'admin', tokenName: 'local' });
        return json(res, 200, { items: [] });
      });
      await new Promise<void>((r) => revived.listen(Number(port), '127.0.0.1', r));
      try {
        // Without the probe the next attempt is 30–60 s away.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(slow.state.kind, 'offline');
        slow.probeNow();
        await eventually(() => slow.state.kind === 'connected', 2000, 'connected right after the probe');
      } finally {
        revived.closeAllConnections();
        await new Promise((r) => revived.close(r));
      }
    } finally {
      slow.dispose();
    }
  });

  it('resumes with the stored token and forgets it on disconnect', async () => {
    secrets.map.set(`hangar.token:${server.url}`, TOKEN);
    assert.equal(await session.resume(server.url), true);
    assert.equal(session.state.kind, 'connected');
    await session.disconnect();
    assert.equal(secrets.map.size, 0);
    assert.equal(session.state.kind, 'disconnected');
    assert.equal(session.store.projects.length, 0);
  });
});
