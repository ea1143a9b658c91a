import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationDeliveryList, NotificationWebhookPayload, NotificationWebhookState, Project } from '../../../backend/contract';
import { signWebhook } from '../../../backend/activity/signature';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { ev, hookBody, postHook } from './webhookSupport';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

interface Received { headers: http.IncomingHttpHeaders; body: string }

/** A webhook receiver on loopback (what a phone push service or a chat tool would be): answers from a script of statuses. */
async function startReceiver(port = 0) {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    port: (server.address() as AddressInfo).port,
    received, script,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('API: outgoing notification webhooks (/api/notifications/*)', function () {
  this.timeout(60_000);
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let project: Project;
  let secret: string;
  const sid = () => `ses_${Math.random().toString(36).slice(2, 12)}`;
  const finish = async (id: string) => {
    for (const e of [ev.created(id, 'Fix the build'), ev.busy(id), ev.idleStatus(id, 'Done.')]) assert.equal((await postHook(api.url, secret, hookBody(project.id, e))).status, 200);
  };
  const fail = async (id: string) => {
    for (const e of [ev.busy(id), ev.error(id, 'rate limited')]) assert.equal((await postHook(api.url, secret, hookBody(project.id, e))).status, 200);
  };
  const deliveries = async (c = admin) => (await c.get<NotificationDeliveryList>('/api/notifications/deliveries')).body.items;
  const deliveryOf = (id: string) => async () => (await deliveries()).find((d) => d.sessionId === id);

  before(async () => {
    api = await startTestApi({ HANGAR_NOTIFY_RETRY_MS: '100' });
    admin = client(api.url, api.adminToken);
    project = (await admin.post<Project>('/api/projects', { name: 'notified' })).body;
    secret = (await api.server.services.projects.secrets(project.id)).webhookSecret;
  });
  after(() => api?.close());

  it('accepts https, or http to this machine only, and never returns or stores the secret in the clear', async () => {
    assert.deepEqual((await admin.get('/api/notifications/webhook')).body, { webhook: null });
    for (const url of ['http://example.com/hook', 'ftp://127.0.0.1/x', 'https://user:pw@example.com/x', 'http://10.0.0.1/x', 'not a url']) {
      const r = await admin.call('PUT', '/api/notifications/webhook', { url, kinds: ['done'] });
      assert.equal(r.status, 400, url);
    }
    assert.equal((await admin.call('PUT', '/api/notifications/webhook', { url: 'https://hooks.example.com/x', kinds: [] })).status, 400, 'no kinds');
    const put = await admin.call<NotificationWebhookState['webhook']>('PUT', '/api/notifications/webhook', { url: 'https://hooks.example.com/x', secret: `signing-key-${SECRET_MARKER}`, kinds: ['done', 'failed'] });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual({ ...put.body, updatedAt: undefined }, { url: 'https://hooks.example.com/x', kinds: ['done', 'failed'], hasSecret: true, updatedAt: undefined });
    assert.doesNotMatch(JSON.stringify((await admin.get('/api/notifications/webhook')).body), /a-very-secret/);
    const row = await api.server.services.db.selectFrom('notification_webhooks').selectAll().executeTakeFirstOrThrow();
    assert.match(row.secret_enc!, /^v1\./);
    assert.doesNotMatch(JSON.stringify(row), /a-very-secret/);
    // Omitting the secret keeps it; null removes it.
    assert.equal((await admin.call<{ hasSecret: boolean }>('PUT', '/api/notifications/webhook', { url: 'https://hooks.example.com/y', kinds: ['done'] })).body.hasSecret, true);
    assert.equal((await admin.call<{ hasSecret: boolean }>('PUT', '/api/notifications/webhook', { url: 'https://hooks.example.com/y', secret: null, kinds: ['done'] })).body.hasSecret, false);
    assert.equal((await admin.del('/api/notifications/webhook')).status, 204);
    assert.equal((await admin.del('/api/notifications/webhook')).status, 404);
  });

  it('delivers a notification of a chosen kind, signed, with the deep link; other kinds are not sent', async () => {
    const rx = await startReceiver();
    try {
      const key = 'receiver-signing-key-1234';
      assert.equal((await admin.call('PUT', '/api/notifications/webhook', { url: rx.url, secret: key, kinds: ['done'] })).status, 200);
      const failed = sid();
      await fail(failed);
      const done = sid();
      await finish(done);
      const d = await waitFor('delivered', async () => { const x = await deliveryOf(done)(); return x?.status === 'delivered' ? x : undefined; });
      assert.deepEqual({ kind: d.kind, projectId: d.projectId, projectName: d.projectName, statusCode: d.statusCode, attempts: d.attempts, error: d.error, nextRetryAt: d.nextRetryAt },
        { kind: 'done', projectId: project.id, projectName: 'notified', statusCode: 200, attempts: 1, error: null, nextRetryAt: null });
      assert.equal(rx.received.length, 1, 'the failed session is not a kind this webhook wants');
      const got = rx.received[0]!;
      const payload = JSON.parse(got.body) as NotificationWebhookPayload;
      assert.equal(payload.kind, 'done');
      assert.equal(payload.sessionId, done);
      assert.equal(payload.link, `vscode://hangar-dev.hangar/session?project=${project.id}&session=${done}`);
      assert.match(payload.text, /notified: "Fix the build" finished/);
      const ts = String(got.headers['x-hangar-timestamp']);
      assert.equal(got.headers['x-hangar-signature'], signWebhook(key, ts, got.body));
      assert.equal(got.headers['x-hangar-delivery'], d.id);
      assert.equal(await deliveryOf(failed)(), undefined);
    } finally {
      await rx.close();
    }
  });

  it('retries a failing receiver with backoff until it answers, and gives up at once on a 4xx', async () => {
    const rx = await startReceiver();
    try {
      await admin.call('PUT', '/api/notifications/webhook', { url: rx.url, secret: null, kinds: ['done', 'failed'] });
      rx.script.push(503, 500);
      const id = sid();
      await finish(id);
      const d = await waitFor('delivered after retries', async () => { const x = await deliveryOf(id)(); return x?.status === 'delivered' ? x : undefined; });
      assert.equal(d.attempts, 3);
      assert.equal(d.statusCode, 200);
      assert.equal(rx.received.length, 3);
      assert.equal(rx.received[0]!.headers['x-hangar-signature'], undefined, 'no secret: unsigned');
      rx.script.push(410);
      const gone = sid();
      await fail(gone);
      const f = await waitFor('failed', async () => { const x = await deliveryOf(gone)(); return x?.status === 'failed' ? x : undefined; });
      assert.deepEqual([f.attempts, f.statusCode, f.error, f.nextRetryAt], [1, 410, 'the receiver answered HTTP 410', null]);
    } finally {
      await rx.close();
    }
  });

  it('keeps pending deliveries across an API restart and delivers them when the receiver is back', async () => {
    const rx = await startReceiver();
    const port = rx.port;
    await admin.call('PUT', '/api/notifications/webhook', { url: rx.url, kinds: ['done'] });
    await rx.close();
    const id = sid();
    await finish(id);
    const pending = await waitFor('a failed first attempt', async () => { const x = await deliveryOf(id)(); return x && x.attempts >= 1 ? x : undefined; });
    assert.equal(pending.status, 'pending');
    assert.match(pending.error!, /cannot reach the receiver/);
    assert.ok(pending.nextRetryAt && Date.parse(pending.nextRetryAt) > Date.parse(pending.createdAt));
    await api.close();
    const back = await startReceiver(port);
    try {
      api = await startTestApi({ HANGAR_NOTIFY_RETRY_MS: '100' }, api.dataDir);
      admin = client(api.url, api.adminToken);
      const d = await waitFor('delivered after the restart', async () => { const x = await deliveryOf(id)(); return x?.status === 'delivered' ? x : undefined; });
      assert.ok(d.attempts >= 2);
      assert.equal(back.received.length, 1);
      assert.equal((JSON.parse(back.received[0]!.body) as NotificationWebhookPayload).sessionId, id);
    } finally {
      await back.close();
    }
  });

  it("shows no user another user's webhook or deliveries", async () => {
    const { id } = await api.server.services.users.createUser('outsider', 'user');
    const other = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
    assert.deepEqual((await other.get('/api/notifications/webhook')).body, { webhook: null });
    assert.deepEqual(await deliveries(other), []);
    assert.equal((await other.del('/api/notifications/webhook')).status, 404);
    assert.notEqual((await admin.get<NotificationWebhookState>('/api/notifications/webhook')).body.webhook, null);
    assert.equal((await client(api.url).get('/api/notifications/deliveries')).status, 401);
  });
});
