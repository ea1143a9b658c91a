import assert from 'node:assert/strict';
import type { HangarEvent, Project } from '../../../backend/contract';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { onPostgres } from '../../harness/postgres.mjs';

describe('API: /api/events', () => {
  let api: TestApi;
  let admin: ReturnType<typeof client>;

  before(async () => {
    api = await startTestApi({ HANGAR_SSE_HEARTBEAT_MS: '200', HANGAR_EVENT_BUFFER: '10' });
    admin = client(api.url, api.adminToken);
  });
  after(() => api.close());

  it('streams project events with ids, types and contract-shaped data', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      assert.equal(stream.status, 200);
      assert.match(stream.contentType ?? '', /^text\/event-stream/);
      const created = (await admin.post<Project>('/api/projects', { name: 'evented' })).body;
      await admin.patch(`/api/projects/${created.id}`, { name: 'evented 2' });
      await admin.del(`/api/projects/${created.id}`);
      await stream.waitFor((f) => f.event === 'project.deleted');
      const events = stream.events();
      assert.deepEqual(events.map((f) => f.event), ['project.created', 'project.updated', 'project.deleted']);
      const ids = events.map((f) => Number(f.id));
      assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!, 'ids increase');
      const parsed = events.map((f) => JSON.parse(f.data!) as HangarEvent);
      assert.equal(parsed[0]!.id, ids[0]);
      assert.deepEqual(parsed[2]!.data, { id: created.id });
    } finally {
      await stream.close();
    }
  });

  it('sends heartbeat comments', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      await stream.waitFor((f) => f.comment === 'ping', 2000);
    } finally {
      await stream.close();
    }
  });

  it("never shows a user another user's events", async () => {
    const { id } = await api.server.services.users.createUser('other', 'user');
    const otherToken = (await api.server.services.users.createToken(id, 't')).secret;
    const stream = await openEventStream(api.url, otherToken);
    try {
      await admin.post('/api/projects', { name: 'private' });
      await client(api.url, otherToken).post('/api/projects', { name: 'theirs' });
      await stream.waitFor((f) => f.event === 'project.created');
      await new Promise((r) => setTimeout(r, 200));
      const names = stream.events().map((f) => (JSON.parse(f.data!) as { data: { project: Project } }).data.project.name);
      assert.deepEqual(names, ['theirs']);
    } finally {
      await stream.close();
    }
  });

  it('replays what a client missed after Last-Event-ID', async () => {
    const first = await openEventStream(api.url, api.adminToken);
    await admin.post('/api/projects', { name: 'seen' });
    const seen = await first.waitFor((f) => f.event === 'project.created');
    await first.close();
    await admin.post('/api/projects', { name: 'missed 1' });
    await admin.post('/api/projects', { name: 'missed 2' });
    const again = await openEventStream(api.url, api.adminToken, seen.id);
    try {
      await again.waitFor((f) => f.data?.includes('missed 2') ?? false);
      const names = again.events().map((f) => (JSON.parse(f.data!) as { data: { project: Project } }).data.project.name);
      assert.deepEqual(names, ['missed 1', 'missed 2']);
    } finally {
      await again.close();
    }
  });

  it('sends an explicit resync when the asked id is older than the buffer', async () => {
    const first = await openEventStream(api.url, api.adminToken);
    await admin.post('/api/projects', { name: 'old' });
    const old = await first.waitFor((f) => f.data?.includes('"old"') ?? false);
    await first.close();
    // A live stream sees the whole flood before the reconnect: on PostgreSQL events are written and
    // delivered after the POST answers, and a late one would arrive live on the new stream.
    const live = await openEventStream(api.url, api.adminToken);
    for (let i = 0; i < 12; i++) await admin.post('/api/projects', { name: `flood ${i}` });
    await live.waitFor((f) => f.data?.includes('"flood 11"') ?? false);
    await live.close();
    const again = await openEventStream(api.url, api.adminToken, old.id);
    try {
      const resync = await again.waitFor((f) => f.event === 'resync');
      assert.match(JSON.parse(resync.data!).data.reason, /missed/);
      assert.equal(again.events().filter((f) => f.event === 'project.created').length, 0, 'no partial replay');
    } finally {
      await again.close();
    }
  });

  it('sends resync for an id from before the server started (SQLite) or older than the kept events (PostgreSQL)', async () => {
    const again = await openEventStream(api.url, api.adminToken, '5');
    try {
      const resync = await again.waitFor((f) => f.event === 'resync');
      // On PostgreSQL events outlive a restart (the events table): an id older than what is kept was missed.
      assert.match(JSON.parse(resync.data!).data.reason, onPostgres() ? /missed/ : /restarted/);
    } finally {
      await again.close();
    }
  });

  it('tells every user when a tier changes', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    try {
      await admin.patch('/api/container-tiers/pro', { description: 'Bigger builds.' });
      const f = await stream.waitFor((x) => x.event === 'tier.changed');
      assert.equal(JSON.parse(f.data!).data.tier.description, 'Bigger builds.');
    } finally {
      await stream.close();
    }
  });
});
