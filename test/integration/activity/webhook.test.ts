import assert from 'node:assert/strict';
import type { ActivityPage, HangarEvent, Project } from '../../../backend/contract';
import { signWebhook } from '../../../backend/activity/signature';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { openEventStream } from '../support/sseReader';
import { ev, hookBody, postHook } from './webhookSupport';

describe('API: POST /api/webhooks/opencode and GET /api/activity', () => {
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let project: Project;
  let secret: string;
  const sid = () => `ses_${Math.random().toString(36).slice(2, 12)}`;
  const post = (e: Parameters<typeof hookBody>[1], p = project.id, s = secret) => postHook(api.url, s, hookBody(p, e));
  const count = async () => (await api.server.services.db.selectFrom('activity').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  before(async () => {
    api = await startTestApi();
    admin = client(api.url, api.adminToken);
    project = (await admin.post<Project>('/api/projects', { name: 'hooked' })).body;
    secret = (await api.server.services.projects.secrets(project.id)).webhookSecret;
  });
  after(() => api.close());

  it('rejects unsigned, badly signed, old, future, replayed and unknown-project calls with 401 and records nothing', async () => {
    const before = await count();
    const body = hookBody(project.id, ev.busy(sid()));
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await postHook(api.url, secret, body, { unsigned: true })).status, 401);
    assert.equal((await postHook(api.url, 'wrong-secret', body)).status, 401);
    assert.equal((await postHook(api.url, secret, body, { signature: 'sha256=' + '0'.repeat(64) })).status, 401);
    assert.equal((await postHook(api.url, secret, body, { timestamp: now - 6 * 60 })).status, 401, 'too old');
    assert.equal((await postHook(api.url, secret, body, { timestamp: now + 6 * 60 })).status, 401, 'from the future');
    // The signature of another body does not carry over.
    const other = hookBody(project.id, ev.busy(sid()));
    assert.equal((await postHook(api.url, secret, body, { signature: signWebhook(secret, String(now), other), timestamp: now })).status, 401);
    const unknown = hookBody('00000000-0000-4000-8000-000000000000', ev.busy(sid()));
    const r = await postHook(api.url, secret, unknown);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: { code: 'unauthorized', message: 'Bad webhook signature.' } });
    assert.equal(await count(), before, 'nothing recorded');
    // A valid call goes through once; the same bytes and signature again are a replay.
    const ts = now;
    const signature = signWebhook(secret, String(ts), body);
    assert.equal((await postHook(api.url, secret, body, { timestamp: ts, signature })).status, 200);
    assert.equal((await postHook(api.url, secret, body, { timestamp: ts, signature })).status, 401, 'replay');
    assert.equal(await count(), before + 1);
  });

  it('rejects an oversized body', async () => {
    const big = hookBody(project.id, { type: 'session.status', properties: { sessionID: sid(), status: { type: 'busy' }, pad: 'x'.repeat(70 * 1024) } });
    const r = await postHook(api.url, secret, big);
    assert.equal(r.status, 413);
  });

  it('needs no bearer token but never lets a token stand in for the signature', async () => {
    const res = await fetch(`${api.url}/api/webhooks/opencode`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${api.adminToken}` }, body: hookBody(project.id, ev.busy(sid())),
    });
    assert.equal(res.status, 401);
  });

  it('follows a session through running, approval, complete; de-duplicates idle; notifies once per transition', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    const id = sid();
    try {
      for (const e of [ev.created(id), ev.busy(id), ev.updated(id, 'Fix the build'), ev.asked(id, 'per_1'), ev.replied(id, 'per_1'),
        ev.updated(id, 'Fix the build', 3), ev.idleStatus(id, 'Done: the build passes.'), ev.idle(id)]) {
        assert.equal((await post(e)).status, 200);
      }
      await stream.waitFor((f) => f.event === 'notification.created' && f.data!.includes('"done"'));
      await new Promise((r) => setTimeout(r, 100));
      const events = stream.events().map((f) => JSON.parse(f.data!) as HangarEvent);
      const notes = events.filter((e) => e.type === 'notification.created').map((e) => e.type === 'notification.created' && e.data);
      assert.deepEqual(notes, [
        { kind: 'needs-approval', projectId: project.id, sessionId: id, text: 'hooked: "Fix the build" needs approval: bash rm -rf build', permission: { id: 'per_1', name: 'bash', patterns: ['rm -rf build'] } },
        { kind: 'done', projectId: project.id, sessionId: id, text: 'hooked: "Fix the build" finished' },
      ]);
      const statuses = events.flatMap((e) => (e.type === 'activity.updated' ? [e.data.session.status] : []));
      assert.deepEqual(statuses, ['idle', 'running', 'running', 'waiting_for_permission', 'running', 'running', 'complete'], 'session.idle after status idle publishes nothing');
      const page = (await admin.get<ActivityPage>(`/api/activity?projectId=${project.id}`)).body;
      const row = page.items.find((s) => s.sessionId === id)!;
      assert.equal(row.status, 'complete');
      assert.equal(row.title, 'Fix the build');
      assert.equal(row.projectName, 'hooked');
      assert.equal(row.excerpt, 'Done: the build passes.');
      assert.equal(row.filesChanged, 3);
      assert.equal(row.runningSince, null);
      assert.ok(row.durationMs >= 0);
    } finally {
      await stream.close();
    }
  });

  it('records errors with a failed notification, and marks child sessions without a done notification', async () => {
    const stream = await openEventStream(api.url, api.adminToken);
    const parent = sid();
    const child = sid();
    try {
      await post(ev.created(parent, 'Parent'));
      await post(ev.busy(parent));
      await post(ev.created(child, 'Subagent', parent));
      await post(ev.busy(child));
      await post(ev.idleStatus(child));
      await post(ev.error(parent, 'provider exploded'));
      await post(ev.idleStatus(parent));
      await stream.waitFor((f) => f.event === 'notification.created');
      await new Promise((r) => setTimeout(r, 150));
      const notes = stream.events().filter((f) => f.event === 'notification.created').map((f) => (JSON.parse(f.data!) as { data: { kind: string; sessionId: string } }).data);
      assert.deepEqual(notes.map((n) => [n.kind, n.sessionId]), [['failed', parent]]);
      const items = (await admin.get<ActivityPage>(`/api/activity?projectId=${project.id}`)).body.items;
      const p = items.find((s) => s.sessionId === parent)!;
      const c = items.find((s) => s.sessionId === child)!;
      assert.deepEqual([p.status, p.error], ['error', 'provider exploded']);
      assert.deepEqual([c.status, c.parentSessionId], ['complete', parent]);
    } finally {
      await stream.close();
    }
  });

  it('pages newest first with a cursor and filters by status and project', async () => {
    const other = (await admin.post<Project>('/api/projects', { name: 'other' })).body;
    const otherSecret = (await api.server.services.projects.secrets(other.id)).webhookSecret;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = sid();
      ids.push(id);
      await post(ev.busy(id), other.id, otherSecret);
      await new Promise((r) => setTimeout(r, 3));
    }
    const p1 = (await admin.get<ActivityPage>(`/api/activity?projectId=${other.id}&limit=2`)).body;
    assert.deepEqual(p1.items.map((s) => s.sessionId), [ids[4], ids[3]]);
    const p2 = (await admin.get<ActivityPage>(`/api/activity?projectId=${other.id}&limit=2&cursor=${p1.nextCursor}`)).body;
    assert.deepEqual(p2.items.map((s) => s.sessionId), [ids[2], ids[1]]);
    const p3 = (await admin.get<ActivityPage>(`/api/activity?projectId=${other.id}&limit=2&cursor=${p2.nextCursor}`)).body;
    assert.deepEqual([p3.items.map((s) => s.sessionId), p3.nextCursor], [[ids[0]], null]);
    const running = (await admin.get<ActivityPage>('/api/activity?status=running,waiting_for_permission&limit=200')).body.items;
    assert.ok(running.length >= 5 && running.every((s) => s.status === 'running' || s.status === 'waiting_for_permission'));
    const all = (await admin.get<ActivityPage>('/api/activity?limit=200')).body.items;
    assert.ok(all.some((s) => s.projectId === project.id) && all.some((s) => s.projectId === other.id), 'across projects');
    const sorted = [...all].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    assert.deepEqual(all.map((s) => s.updatedAt), sorted.map((s) => s.updatedAt));
    assert.equal((await admin.get('/api/activity?status=bogus')).status, 400);
    assert.equal((await admin.get('/api/activity?cursor=nonsense')).status, 400);
  });

  it("shows no user another user's sessions or events", async () => {
    const { id } = await api.server.services.users.createUser('stranger', 'user');
    const token = (await api.server.services.users.createToken(id, 't')).secret;
    const stream = await openEventStream(api.url, token);
    try {
      await post(ev.busy(sid()));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(stream.events().length, 0);
      const page = (await client(api.url, token).get<ActivityPage>('/api/activity')).body;
      assert.deepEqual(page, { items: [], nextCursor: null });
      const filtered = (await client(api.url, token).get<ActivityPage>(`/api/activity?projectId=${project.id}`)).body;
      assert.deepEqual(filtered.items, []);
    } finally {
      await stream.close();
    }
  });

  it('refuses a replay after an API restart too (the seen signatures are in the database)', async () => {
    const body = hookBody(project.id, ev.busy(sid()));
    const ts = Math.floor(Date.now() / 1000);
    const signature = signWebhook(secret, String(ts), body);
    assert.equal((await postHook(api.url, secret, body, { timestamp: ts, signature })).status, 200);
    await api.close();
    api = await startTestApi({}, api.dataDir);
    admin = client(api.url, api.adminToken);
    const before = await count();
    const again = await postHook(api.url, secret, body, { timestamp: ts, signature });
    assert.equal(again.status, 401);
    assert.deepEqual(again.body, { error: { code: 'unauthorized', message: 'Webhook replayed.' } });
    assert.equal(await count(), before);
  });

  it('replays missed notifications to a reconnecting window exactly once', async () => {
    const first = await openEventStream(api.url, api.adminToken);
    const id = sid();
    await post(ev.busy(id));
    const seen = await first.waitFor((f) => f.event === 'activity.updated' && f.data!.includes(id));
    await first.close();
    await post(ev.idleStatus(id));
    await post(ev.idle(id));
    const again = await openEventStream(api.url, api.adminToken, seen.id);
    try {
      await again.waitFor((f) => f.event === 'notification.created');
      await new Promise((r) => setTimeout(r, 150));
      assert.deepEqual(again.events().map((f) => f.event), ['activity.updated', 'notification.created']);
    } finally {
      await again.close();
    }
  });
});
