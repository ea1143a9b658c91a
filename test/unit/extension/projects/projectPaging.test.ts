import assert from 'node:assert/strict';
import type { Project } from '../../../../backend/contract';
import { HangarSession } from '../../../../extension/core/hangarSession';
import { SecretRegistry } from '../../../../extension/core/redact';
import { loadMoreRow } from '../../../../extension/projects/treeModel';
import { aProject, aTier, eventually, json, startServer, type TestServer } from '../builders';

const TOKEN = 'tok-paging-0123456789';

/** A paged GET /api/projects like the API's: pages of 100 newest first, a cursor, an ETag and 304. */
async function pagedApi(count: number) {
  const state = { version: 1, projects: [] as Project[], ifNoneMatch: [] as (string | undefined)[] };
  for (let i = 0; i < count; i++) state.projects.unshift(aProject({ id: `p${i}`, name: `scale ${i}` }));
  const server = await startServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    switch (url.pathname) {
      case '/api/me': return json(res, 200, { id: 'u1', username: 'ada', role: 'admin', tokenName: 'local' });
      case '/api/container-tiers': return json(res, 200, { items: [aTier({ isDefault: true })] });
      case '/api/events': res.writeHead(200, { 'Content-Type': 'text/event-stream' }); res.write(': ready\n\n'); return;
      case '/api/projects': {
        const etag = `"v${state.version}"`;
        if (!url.searchParams.has('cursor')) state.ifNoneMatch.push(req.headers['if-none-match']);
        if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }); return res.end(); }
        const from = Number(url.searchParams.get('cursor') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const items = state.projects.slice(from, from + limit);
        res.setHeader('ETag', etag);
        return json(res, 200, { items, nextCursor: from + limit < state.projects.length ? String(from + limit) : null });
      }
      default: return json(res, 404, { error: { code: 'not_found', message: 'nope' } });
    }
  });
  return { server, state };
}

describe('Projects view paging (HangarSession against a paged API)', () => {
  let server: TestServer;
  let session: HangarSession;

  afterEach(async () => {
    session.dispose();
    await server.close();
  });

  it('holds the first page, loads more on request, and revalidates an unchanged list with If-None-Match (304)', async () => {
    const api = await pagedApi(250);
    server = api.server;
    session = new HangarSession({
      secrets: { get: async () => undefined, store: async () => {}, delete: async () => {} }, fetch,
      log: { debug() {}, info() {}, warn() {}, error() {} }, secretRegistry: new SecretRegistry(), saveServerUrl: async () => {},
    });
    await session.connect(server.url, TOKEN);
    await eventually(() => session.store.projectsLoad.kind === 'loaded', 2000, 'the first page');
    // Only the newest 100 are held; names sort naturally ("scale 150" … "scale 249" by number, not by text).
    assert.equal(session.store.projects.length, 100);
    assert.equal(session.hasMoreProjects, true);
    assert.deepEqual(session.store.projects.slice(0, 3).map((p) => p.name), ['scale 150', 'scale 151', 'scale 152']);

    await session.loadMoreProjects();
    await session.loadMoreProjects();
    assert.equal(session.store.projects.length, 250);
    assert.equal(session.hasMoreProjects, false);
    const names = session.store.projects.map((p) => p.name);
    assert.deepEqual(names.slice(0, 3), ['scale 0', 'scale 1', 'scale 2']);
    assert.ok(names.indexOf('scale 2') < names.indexOf('scale 10'), '"scale 2" before "scale 10"');

    // Unchanged on the server: the refresh asks with the ETag, gets 304 and keeps every loaded page.
    await session.refresh();
    assert.equal(api.state.ifNoneMatch.at(-1), '"v1"');
    assert.equal(session.store.projects.length, 250);
    assert.equal(session.store.projectsLoad.kind, 'loaded');

    // Changed: a new first page replaces what was held.
    api.state.version = 2;
    api.state.projects.unshift(aProject({ id: 'pnew', name: 'scale 1000' }));
    await session.refresh();
    assert.equal(session.store.projects.length, 100);
    assert.ok(session.store.project('pnew'));
    assert.equal(session.hasMoreProjects, true);
  });

  it('shows a "Load more" row that runs the command and says how many are shown', () => {
    const row = loadMoreRow(100);
    assert.deepEqual([row.id, row.label, row.description, row.command?.command], ['projects:more', 'Load more projects…', '100 shown', 'hangar.loadMoreProjects']);
  });
});
