import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import { signWebhook } from '../../backend/activity/signature';
import { SecretBox } from '../../backend/runtime/secretBox';
import { loadEncryptionKey } from '../../backend/security/encryptionKey';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../fixtures/fakeLlm/server';
import { activeExtension, api, env, snapshot, uniqueName, waitFor } from './helpers';
import { SECRET_MARKER } from '../harness/secretsScan.mjs';

/** What `hangar.internal.activity` returns (extension/activity/activityFeature.ts). */
interface ActivityProbe {
  rows: Array<{ id: string; label: string; description: string; tooltip: string; icon: string; contextValue: string }>;
  badge: number;
  visible: boolean;
  notifications: Array<{ kind: string; projectId: string; sessionId: string; text: string; shown: boolean; decision: string }>;
  opened: Array<{ projectId: string; sessionId: string }>;
  held: number;
  sinks: Array<{ sink: string; sessionId?: string; actions?: string[]; text?: string; action?: string; ok?: boolean }>;
  agentStates: Record<string, string>;
}
interface Delivery { sessionId: string; status: string; statusCode: number | null; attempts: number }
interface ProjectLike { id: string; name: string }

const probe = async () => (await vscode.commands.executeCommand('hangar.internal.activity')) as ActivityProbe;
const chatProbe = async (projectId: string) => vscode.commands.executeCommand<{ activeSessionId: string | null; title: string } | undefined>('hangar.internal.chat', { projectId });
const setNotify = async (key: string, value: unknown) => vscode.workspace.getConfiguration('hangar').update(`notifications.${key}`, value, vscode.ConfigurationTarget.Global);
const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

/** Asks the harness for a screenshot of the workbench and waits until the file is there. */
async function screenshot(name: string): Promise<void> {
  const ext = await activeExtension();
  const file = path.join(ext.extensionPath, 'test-results', name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

/** The project's webhook secret, read the way the server does (sealed in SQLite, key in the data dir). */
function webhookSecret(projectId: string): string {
  const dataDir = env('HANGAR_TEST_DATA_DIR');
  const sealed = execFileSync('sqlite3', [path.join(dataDir, 'hangar.db'), `select webhook_secret_enc from projects where id = '${projectId}'`], { encoding: 'utf8' }).trim();
  const box = new SecretBox(loadEncryptionKey({ source: 'file', file: path.join(dataDir, 'secret.key') }));
  return box.open(sealed, `project:${projectId}:webhook_secret`);
}

/** Posts what the opencode plugin posts, signed the same way: a real webhook call. */
async function hook(project: ProjectLike, secret: string, type: string, properties: Record<string, unknown>, meta: Record<string, string> = {}): Promise<void> {
  const body = JSON.stringify({ projectId: project.id, event: { type, properties }, meta, sentAt: new Date().toISOString() });
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${env('HANGAR_TEST_API_URL')}/api/webhooks/opencode`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hangar-Timestamp': ts, 'X-Hangar-Signature': signWebhook(secret, ts, body) }, body,
  });
  assert.equal(res.status, 200, await res.text());
}

describe('activity view, badge and notifications', () => {
  const projects: ProjectLike[] = [];
  let llm: FakeLlm | undefined;
  const secrets = new Map<string, string>();
  const sid = () => `ses_${Math.random().toString(36).slice(2, 12)}`;

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    for (const n of ['act-a', 'act-b']) {
      const created = await api('POST', '/api/projects', { name: uniqueName(n) });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const p = created.json as ProjectLike;
      projects.push(p);
      secrets.set(p.id, webhookSecret(p.id));
    }
    await waitFor('projects in the tree', snapshot, (s) => projects.every((p) => s.projectNames.includes(p.name)), 5000);
  });

  after(async () => {
    await llm?.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of projects) await api('DELETE', `/api/projects/${p.id}`);
  });

  it('lists sessions across projects live, newest first, with status icons, project, title and excerpt', async () => {
    await vscode.commands.executeCommand('hangar.activity.focus');
    const [a, b] = projects as [ProjectLike, ProjectLike];
    const s1 = sid();
    const s2 = sid();
    await hook(a, secrets.get(a.id)!, 'session.created', { info: { id: s1, title: 'Refactor parser', time: { created: Date.now() } } });
    await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: s1, status: { type: 'busy' } });
    const running = await waitFor('the running row', probe, (p) => p.rows.some((r) => r.id === `activity:${a.id}:${s1}` && r.icon === 'loading~spin'));
    const row = running.rows.find((r) => r.id === `activity:${a.id}:${s1}`)!;
    assert.equal(row.label, 'Refactor parser');
    assert.match(row.description, new RegExp(`^${a.name} · running · 0:0\\d$`));
    await hook(b, secrets.get(b.id)!, 'session.updated', { info: { id: s2, title: 'Write docs', time: { created: Date.now() } } });
    await hook(b, secrets.get(b.id)!, 'session.status', { sessionID: s2, status: { type: 'busy' } });
    await hook(b, secrets.get(b.id)!, 'session.status', { sessionID: s2, status: { type: 'idle' } }, { excerpt: 'Docs written.' });
    const both = await waitFor('both rows, newest first', probe, (p) => p.rows[0]?.id === `activity:${b.id}:${s2}` && p.rows[0]?.icon === 'pass');
    assert.match(both.rows[0]!.tooltip, /Docs written\.$/);
    assert.ok(both.rows.some((r) => r.id === `activity:${a.id}:${s1}`));
    assert.equal(both.badge, 0, 'the view is visible: nothing unseen');
    assert.equal(both.agentStates[a.id], 'busy', "project a's agent is busy");
    assert.equal(both.agentStates[b.id], 'idle');
    await screenshot('activity-01-view.png');
  });

  it('counts finished, failed and blocked sessions on the badge while hidden and clears it when the view is shown', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the view hidden', probe, (p) => !p.visible);
    const [a, b] = projects as [ProjectLike, ProjectLike];
    const [x, y, z] = [sid(), sid(), sid()];
    for (const [p, s] of [[a, x], [a, y], [b, z]] as const) await hook(p, secrets.get(p.id)!, 'session.status', { sessionID: s, status: { type: 'busy' } });
    await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: x, status: { type: 'idle' } });
    await hook(a, secrets.get(a.id)!, 'session.idle', { sessionID: x });
    await hook(a, secrets.get(a.id)!, 'session.error', { sessionID: y, error: { name: 'APIError', data: { message: 'rate limited' } } });
    await hook(b, secrets.get(b.id)!, 'permission.asked', { id: 'per_1', sessionID: z, permission: 'bash', patterns: ['npm publish'] });
    const hidden = await waitFor('badge 3', probe, (p) => p.badge === 3);
    await screenshot('activity-02-badge.png');
    const notes = hidden.notifications.filter((n) => [x, y, z].includes(n.sessionId));
    assert.deepEqual(notes.map((n) => [n.kind, n.sessionId, n.shown]), [['done', x, true], ['failed', y, true], ['needs-approval', z, true]], 'one per session, no duplicate for session.idle');
    assert.match(notes[2]!.text, /needs approval: bash npm publish/);
    await vscode.commands.executeCommand('hangar.activity.focus');
    await waitFor('badge cleared', probe, (p) => p.visible && p.badge === 0);
  });

  it('Open Session opens the project\'s chat (never opened before) and records the session', async () => {
    const a = projects[0]!;
    const s = sid();
    assert.equal(await vscode.commands.executeCommand('hangar.internal.chat', { projectId: a.id }), undefined, 'no chat panel yet');
    assert.equal(await vscode.commands.executeCommand('hangar.openSession', { projectId: a.id, sessionId: s }), true);
    const panel = await waitFor('the chat panel', async () => vscode.commands.executeCommand<{ title: string; ready: boolean } | undefined>('hangar.internal.chat', { projectId: a.id }), (v) => v?.ready === true, 15_000);
    assert.equal(panel?.title, `Chat: ${a.name}`);
    assert.deepEqual((await probe()).opened.at(-1), { projectId: a.id, sessionId: s });
  });

  it('a real agent turn updates the view live; a deep link opens its chat at the session; its notification is held back while that chat is in front, another session\'s is raised', async function () {
    this.timeout(120_000);
    const [a, b] = projects as [ProjectLike, ProjectLike];
    llm = await startFakeLlm({ defaultReply: 'All done here.' });
    const workspace = path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', a.id, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } } };
    config.provider.fake.options.apiKey = 'fake-key';
    // bash asks first: the Approve test below answers from the notification.
    fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify({ ...config, permission: { bash: 'ask' } }, null, 2));
    assert.equal((await api('POST', `/api/projects/${a.id}/deploy`, { force: false })).status, 202);
    const ran = await waitFor('project a running', async () => (await api('GET', `/api/projects/${a.id}`)).json as { status: string; statusReason: string | null },
      (p) => p.status === 'running' || p.status === 'failed' || p.status === 'crashed', 90_000);
    assert.equal(ran.status, 'running', `deploy: ${ran.statusReason}`);
    const newSession = async () => {
      const r = await api('POST', `/api/projects/${a.id}/opencode/session`, {});
      assert.equal(r.status, 200, `POST session: ${JSON.stringify(r.json)}; project: ${JSON.stringify((await api('GET', `/api/projects/${a.id}`)).json)}`);
      return (r.json as { id: string }).id;
    };
    const s1 = await newSession();
    const s2 = await newSession();
    // The deep link the outgoing webhook carries, through the extension's URI router, to a chat not open yet.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('no chat for a', () => chatProbe(a.id), (c) => c === undefined);
    assert.equal(await vscode.commands.executeCommand('hangar.internal.activity', { uri: `vscode://hangar-dev.hangar/session?project=${a.id}&session=${s1}` }), true);
    await waitFor('the chat at s1', () => chatProbe(a.id), (c) => c?.activeSessionId === s1, 15_000)
      .catch(async (e: Error) => { throw new Error(`${e.message}; project: ${JSON.stringify((await api('GET', `/api/projects/${a.id}`)).json)}`); });
    assert.deepEqual((await probe()).opened.at(-1), { projectId: a.id, sessionId: s1 });
    // A link that names no valid session opens nothing.
    await vscode.commands.executeCommand('hangar.internal.activity', { uri: `vscode://hangar-dev.hangar/session?project=${a.id}&session=../x` });
    assert.deepEqual((await probe()).opened.at(-1), { projectId: a.id, sessionId: s1 });

    for (const s of [s1, s2]) {
      assert.equal((await api('POST', `/api/projects/${a.id}/opencode/session/${s}/prompt_async`, { parts: [{ type: 'text', text: 'do the task' }] })).status, 204);
    }
    // The real plugin inside opencode reports both turns; the view follows without a refresh.
    const p = await waitFor('both sessions complete in the view', probe, (v) => [s1, s2].every((s) => v.rows.find((r) => r.id === `activity:${a.id}:${s}`)?.icon === 'pass')
      && [s1, s2].every((s) => v.notifications.some((n) => n.sessionId === s)), 60_000);
    assert.match(p.rows.find((r) => r.id === `activity:${a.id}:${s1}`)!.tooltip, /All done here\.$/);
    const decision = (s: string) => p.notifications.find((n) => n.sessionId === s)!.decision;
    assert.deepEqual([decision(s1), decision(s2)], ['focused', 'shown']);
    assert.deepEqual(p.sinks.find((r) => r.sink === 'inApp' && r.sessionId === s2)?.actions, ['Open Session']);
    assert.ok(!p.sinks.some((r) => r.sink === 'inApp' && r.sessionId === s1), 'nothing raised for the session in front');
    // The Projects tree shows the agent's state next to the container's.
    // Busy: the first test's "Refactor parser" session of this project never went idle.
    const busy = await waitFor('the agent state in the tree', snapshot, (v) => /running · agent busy$/.test(v.projectRows.find((r) => r.id === a.id)?.description ?? ''));
    assert.match(busy.projectRows.find((r) => r.id === a.id)!.tooltip ?? '', /Agent: busy/);
    const asking = sid();
    await hook(a, secrets.get(a.id)!, 'permission.asked', { id: 'per_tree', sessionID: asking, permission: 'edit', patterns: ['src/a.ts'] });
    await waitFor('needs approval in the tree', snapshot, (v) => /running · agent needs approval$/.test(v.projectRows.find((r) => r.id === a.id)?.description ?? ''));
    await screenshot('activity-04-live-turns.png');
    // The user clicks "Open Session" on s2's notification: the chat moves to that session.
    assert.equal(await vscode.commands.executeCommand('hangar.internal.activity', { respond: { sessionId: s2, action: 'Open Session' } }), true);
    await waitFor('the chat at s2', () => chatProbe(a.id), (c) => c?.activeSessionId === s2, 15_000);
    // Another project's session is raised too, whatever chat is in front.
    const sb = sid();
    await hook(b, secrets.get(b.id)!, 'session.status', { sessionID: sb, status: { type: 'busy' } });
    await hook(b, secrets.get(b.id)!, 'session.status', { sessionID: sb, status: { type: 'idle' } });
    const pb = await waitFor("b's notification", probe, (v) => v.notifications.some((n) => n.sessionId === sb));
    assert.equal(pb.notifications.find((n) => n.sessionId === sb)!.decision, 'shown');
  });

  it('offers Approve and Reject on a simple permission request', async () => {
    const b = projects[1]!;
    const s = sid();
    await hook(b, secrets.get(b.id)!, 'session.status', { sessionID: s, status: { type: 'busy' } });
    await hook(b, secrets.get(b.id)!, 'permission.asked', { id: 'per_simple', sessionID: s, permission: 'bash', patterns: ['npm test'] });
    const p = await waitFor('the approval notification', probe, (v) => v.sinks.some((r) => r.sink === 'inApp' && r.sessionId === s));
    assert.deepEqual(p.sinks.find((r) => r.sink === 'inApp' && r.sessionId === s)?.actions, ['Open Session', 'Approve', 'Reject']);
    assert.equal(p.agentStates[b.id], 'needs-approval');
  });

  it("Approve on a real agent's permission notification lets the turn finish", async function () {
    this.timeout(60_000);
    const a = projects[0]!;
    assert.ok(llm, 'the live-turn test deployed project a');
    llm.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo approved-from-vscode', description: 'Say it' } }] }, { text: 'Ran it.' });
    const created = await api('POST', `/api/projects/${a.id}/opencode/session`, {});
    assert.equal(created.status, 200, `POST session: ${JSON.stringify(created.json)}`);
    const s = (created.json as { id: string }).id;
    assert.equal((await api('POST', `/api/projects/${a.id}/opencode/session/${s}/prompt_async`, { parts: [{ type: 'text', text: 'run it' }] })).status, 204);
    const asked = await waitFor('the needs-approval notification', probe, (v) => v.sinks.some((r) => r.sink === 'inApp' && r.sessionId === s), 30_000);
    assert.deepEqual(asked.sinks.find((r) => r.sink === 'inApp' && r.sessionId === s)?.actions, ['Open Session', 'Approve', 'Reject']);
    assert.match(asked.notifications.find((n) => n.sessionId === s)!.text, /needs approval: bash echo approved-from-vscode/);
    // The user clicks "Approve": allowed once, through the API's agent proxy.
    assert.equal(await vscode.commands.executeCommand('hangar.internal.activity', { respond: { sessionId: s, action: 'Approve' } }), true);
    const done = await waitFor('the turn complete', probe, (v) => v.rows.find((r) => r.id === `activity:${a.id}:${s}`)?.icon === 'pass', 30_000);
    assert.match(done.rows.find((r) => r.id === `activity:${a.id}:${s}`)!.tooltip, /Ran it\.$/);
  });

  it('holds notifications back during quiet hours and sums them up after', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const now = new Date();
    await setNotify('quietHours', `${hhmm(new Date(now.getTime() - 3600_000))}-${hhmm(new Date(now.getTime() + 3600_000))}`);
    try {
      const a = projects[0]!;
      const [q1, q2] = [sid(), sid()];
      for (const s of [q1, q2]) {
        await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: s, status: { type: 'busy' } });
        await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: s, status: { type: 'idle' } });
      }
      const held = await waitFor('two held', probe, (v) => [q1, q2].every((s) => v.notifications.some((n) => n.sessionId === s)));
      assert.deepEqual(held.notifications.filter((n) => [q1, q2].includes(n.sessionId)).map((n) => n.decision), ['held', 'held']);
      assert.equal(held.held, 2);
      assert.ok(!held.sinks.some((r) => r.sink === 'inApp' && (r.sessionId === q1 || r.sessionId === q2)), 'nothing raised while quiet');
    } finally {
      await setNotify('quietHours', undefined);
    }
    const after = await waitFor('the summary', probe, (v) => v.held === 0 && v.sinks.some((r) => r.sink === 'summary'));
    assert.equal(after.sinks.filter((r) => r.sink === 'summary').at(-1)!.text, 'While quiet hours were on: 2 session notifications (2 finished).');
  });

  it('sends notifications to the configured webhook, with the deep link, and shows the deliveries', async () => {
    const received: Array<{ link: string; sessionId: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => { received.push(JSON.parse(body) as { link: string; sessionId: string }); res.end('ok'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const saved = await vscode.commands.executeCommand<{ url: string; kinds: string[]; hasSecret: boolean }>('hangar.configureNotificationWebhook', { url, secret: `vscode-signing-${SECRET_MARKER}`, kinds: ['done'] });
      assert.deepEqual({ url: saved.url, kinds: saved.kinds, hasSecret: saved.hasSecret }, { url, kinds: ['done'], hasSecret: true });
      const a = projects[0]!;
      const s = sid();
      await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: s, status: { type: 'busy' } });
      await hook(a, secrets.get(a.id)!, 'session.status', { sessionID: s, status: { type: 'idle' } });
      await waitFor('the delivery', async () => received.length, (n) => n > 0, 15_000);
      assert.equal(received[0]!.link, `vscode://hangar-dev.hangar/session?project=${a.id}&session=${s}`);
      const list = await waitFor('delivered in the log', async () => vscode.commands.executeCommand<Delivery[]>('hangar.showNotificationDeliveries'),
        (l) => l.some((d) => d.sessionId === s && d.status === 'delivered'), 10_000);
      assert.equal(list.find((d) => d.sessionId === s)!.statusCode, 200);
      await screenshot('activity-03-deliveries.png');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      // The link from the payload opens that session.
      assert.equal(await vscode.commands.executeCommand('hangar.internal.activity', { uri: received[0]!.link }), true);
      assert.deepEqual((await probe()).opened.at(-1), { projectId: a.id, sessionId: s });
    } finally {
      await vscode.commands.executeCommand('hangar.configureNotificationWebhook', { remove: true }).then(undefined, () => undefined);
      server.closeAllConnections();
      server.close();
    }
  });
});
