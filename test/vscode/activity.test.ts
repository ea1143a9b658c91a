import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import { signWebhook } from '../../backend/activity/signature';
import { SecretBox } from '../../backend/runtime/secretBox';
import { loadEncryptionKey } from '../../backend/security/encryptionKey';
import { api, env, snapshot, uniqueName, waitFor } from './helpers';

/** What `hangar.internal.activity` returns (extension/activityFeature.ts). */
interface ActivityProbe {
  rows: Array<{ id: string; label: string; description: string; tooltip: string; icon: string; contextValue: string }>;
  badge: number;
  visible: boolean;
  notifications: Array<{ kind: string; projectId: string; sessionId: string; text: string; shown: boolean }>;
  opened: Array<{ projectId: string; sessionId: string }>;
}
interface ProjectLike { id: string; name: string }

const probe = async () => (await vscode.commands.executeCommand('hangar.internal.activity')) as ActivityProbe;

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
    const notes = hidden.notifications.filter((n) => [x, y, z].includes(n.sessionId));
    assert.deepEqual(notes.map((n) => [n.kind, n.sessionId, n.shown]), [['done', x, true], ['failed', y, true], ['needs-approval', z, true]], 'one per session, no duplicate for session.idle');
    assert.match(notes[2]!.text, /needs approval: bash npm publish/);
    await vscode.commands.executeCommand('hangar.activity.focus');
    await waitFor('badge cleared', probe, (p) => p.visible && p.badge === 0);
  });

  it('Open Session opens the project (details panel until the chat exists) and records the session', async () => {
    const a = projects[0]!;
    const s = sid();
    assert.equal(await vscode.commands.executeCommand('hangar.openSession', { projectId: a.id, sessionId: s }), true);
    const panel = await waitFor('the project panel', async () => vscode.commands.executeCommand<{ visible: boolean } | undefined>('hangar.internal.projectPanel', a.id), (v) => v?.visible === true, 15_000);
    assert.ok(panel);
    assert.deepEqual((await probe()).opened.at(-1), { projectId: a.id, sessionId: s });
  });

  it("does not raise a notification for the project whose panel is active, but does for another's", async () => {
    const [a, b] = projects as [ProjectLike, ProjectLike];
    await vscode.commands.executeCommand('hangar.openProjectDetails', { id: a.id });
    await new Promise((r) => setTimeout(r, 300));
    const [sa, sb] = [sid(), sid()];
    for (const [p, s] of [[a, sa], [b, sb]] as const) {
      await hook(p, secrets.get(p.id)!, 'session.status', { sessionID: s, status: { type: 'busy' } });
      await hook(p, secrets.get(p.id)!, 'session.status', { sessionID: s, status: { type: 'idle' } });
    }
    const p = await waitFor('both notifications', probe, (v) => v.notifications.some((n) => n.sessionId === sa) && v.notifications.some((n) => n.sessionId === sb));
    assert.equal(p.notifications.find((n) => n.sessionId === sa)!.shown, false);
    assert.equal(p.notifications.find((n) => n.sessionId === sb)!.shown, true);
  });
});
