// Issue #15 in the real VS Code: "Hangar: Open Settings" edits the server-side settings; bash set to
// deny → the chat's tool call is refused, to ask → the chat's permission card; export → import round trip.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../fixtures/fakeLlm/server';
import { api, createAgentSession, env, snapshot, uniqueName, waitFor } from './helpers';

interface ProjectLike { id: string; name: string; slug: string; status: string }
type Posted = { type: string; [k: string]: unknown };
interface ChatProbe { ready: boolean; activeSessionId: string | null; stream: string; posted: Posted[] }
interface SettingsProbe { visible: boolean; ready: boolean; lastState?: { kind: string; settings?: { permissions: Record<string, unknown> }; project?: unknown } }
type Answer = { ok: boolean; error?: string };

const MODEL = { providerId: 'fake', modelId: 'fake-model' };

describe('settings: Open Settings, permissions in the chat, export and import', function () {
  this.timeout(180_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;
  let sessionId = '';
  const id = () => project!.id;
  const chat = async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id() });
  const posted = async () => (await chat())?.posted ?? [];
  const inject = async (m: Record<string, unknown>) =>
    vscode.commands.executeCommand<Answer>('hangar.internal.chat', { projectId: id(), inject: { requestId: `s-${Date.now()}`, ...m } });
  const settingsProbe = async () => vscode.commands.executeCommand<SettingsProbe | undefined>('hangar.internal.settings');
  const settingsRequest = async (m: Record<string, unknown>) =>
    vscode.commands.executeCommand<Answer>('hangar.internal.settings', { inject: { requestId: `r-${Date.now()}`, ...m } });
  const agentIdle = () => waitFor('the agent to be idle', async () =>
    (await api('GET', `/api/projects/${id()}/opencode/session/status`)).json as Record<string, unknown>, (s) => s[sessionId] === undefined, 60_000);

  /** The settings panel opened over the chat: bring the chat to the front again (a hidden webview gets nothing). */
  const chatInFront = async () => {
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id: id() }), true);
    await waitFor('the chat in front', chat, (v) => v?.ready === true, 30_000);
  };

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    llm = await startFakeLlm();
    const created = await api('POST', '/api/projects', { name: uniqueName('settings') });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    project = created.json as ProjectLike;
    // As the other chat suites before providers: the workspace's opencode.json names the fake LLM (no permission key).
    const workspace = path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', project.id, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } } };
    config.provider.fake.options.apiKey = 'fake-key';
    fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify(config, null, 2));
    assert.equal((await api('POST', `/api/projects/${project.id}/deploy`, { force: false })).status, 202);
    await waitFor('the project to run', async () => (await api('GET', `/api/projects/${id()}`)).json as ProjectLike,
      (p) => p.status === 'running' || p.status === 'failed', 90_000);
    await createAgentSession(project.id);
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id: project.id }), true);
    const p = await waitFor('the chat to load', chat,
      (v) => v?.ready === true && v.stream === 'open' && v.posted.some((m) => m.type === 'chat.transcript'), 30_000);
    sessionId = p!.activeSessionId!;
  });

  after(async () => {
    await api('PUT', '/api/settings', { permissions: {} });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
  });

  it('"Hangar: Open Settings" shows the server-side settings in its webview', async () => {
    await vscode.commands.executeCommand('hangar.openSettings');
    const p = await waitFor('the settings panel', settingsProbe, (v) => v?.ready === true && v.lastState?.kind === 'ready', 30_000);
    assert.deepEqual(p?.lastState?.settings?.permissions, {});
    const bad = await settingsRequest({ type: 'save', edit: { section: 'permissions', value: { bashRules: [{ pattern: ' ', action: 'ask' }] } } });
    assert.equal(bad.ok, false);
    assert.match(bad.error ?? '', /permissions\.bashRules\.0\.pattern/);
  });

  it('bash set to deny in the settings: the chat\'s bash call is refused', async () => {
    assert.deepEqual(await settingsRequest({ type: 'save', edit: { section: 'permissions', value: { bash: 'deny' } } }), { ok: true });
    const p = await settingsProbe();
    assert.deepEqual(p?.lastState?.settings?.permissions, { bash: 'deny' });
    await chatInFront();
    llm!.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo denied-in-vscode', description: 'Print a word' } }] }, { text: 'Done.' });
    const before = (await posted()).length;
    assert.deepEqual(await inject({ type: 'chat.send', sessionId, text: 'run the echo', mentions: [], model: MODEL }), { ok: true });
    // Live (chat.part) or after a resync (the transcript again): the chat shows the refusal.
    const parts = await waitFor('the refused call in the chat', posted,
      (ps) => ps.slice(before).some((m) => ['chat.part', 'chat.message', 'chat.transcript'].includes(m.type)
        && JSON.stringify(m).includes("unavailable tool 'bash'")), 60_000);
    assert.ok(!parts.slice(before).some((m) => m.type === 'chat.permission'), 'denied, not asked');
    await agentIdle();
  });

  it('bash set to ask for this project: the chat shows the permission card', async () => {
    assert.deepEqual(await settingsRequest({ type: 'selectProject', projectId: id() }), { ok: true });
    assert.deepEqual(await settingsRequest({ type: 'saveProjectPermissions', projectId: id(), permissions: { bash: 'ask' } }), { ok: true });
    const p = await settingsProbe();
    const shown = p?.lastState?.project as { tools: { bash: { action: string; source: string } } } | undefined;
    assert.deepEqual(shown?.tools.bash, { action: 'ask', source: 'project' });
    await chatInFront();
    llm!.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo asked-in-vscode', description: 'Print a word' } }] }, { text: 'Done.' });
    const before = (await posted()).length;
    assert.deepEqual(await inject({ type: 'chat.send', sessionId, text: 'run it again', mentions: [], model: MODEL }), { ok: true });
    const asked = await waitFor('the permission card', posted, (ps) => ps.slice(before).some((m) => m.type === 'chat.permission'), 60_000);
    const request = asked.slice(before).find((m) => m.type === 'chat.permission') as unknown as { request: { id: string; permission: string } };
    assert.equal(request.request.permission, 'bash');
    assert.deepEqual(await inject({ type: 'chat.permissionReply', sessionId, permissionId: request.request.id, reply: 'reject' }), { ok: true });
    await agentIdle();
  });

  it('export → import round-trips the server and client settings (secrets only with the passphrase)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-settings-')), 'settings.json');
    const config = vscode.workspace.getConfiguration('hangar');
    await config.update('notifications.quietHours', '22:00-07:00', vscode.ConfigurationTarget.Global);
    const exported = await vscode.commands.executeCommand<string>('hangar.exportSettings', {
      to: file, includeSecrets: true, passphrase: 'vscode round trip passphrase',
    });
    assert.equal(exported, file);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { client: Record<string, unknown>; secrets?: unknown };
    assert.equal(written.client['hangar.notifications.quietHours'], '22:00-07:00');
    assert.ok(written.secrets, 'sealed secrets');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    // Change both halves, then import the file back.
    assert.equal((await api('PUT', '/api/settings', { permissions: { webfetch: 'ask' } })).status, 200);
    await config.update('notifications.quietHours', '', vscode.ConfigurationTarget.Global);
    // A wrong passphrase: the command fails (shown to the user) and nothing is imported.
    const refused = await vscode.commands.executeCommand('hangar.importSettings', { from: file, passphrase: 'not the passphrase!!', confirm: true });
    assert.equal(refused, undefined);
    assert.deepEqual(((await api('GET', '/api/settings')).json as { permissions: unknown }).permissions, { webfetch: 'ask' });
    assert.equal(vscode.workspace.getConfiguration('hangar').get('notifications.quietHours'), '');
    const outcome = await vscode.commands.executeCommand<{ server: Array<{ item: string; outcome: string }>; client: string[] }>(
      'hangar.importSettings', { from: file, passphrase: 'vscode round trip passphrase', confirm: true });
    assert.ok(outcome.server.some((i) => i.item === 'permissions' && i.outcome === 'applied'), JSON.stringify(outcome.server));
    assert.deepEqual(outcome.client, ['hangar.notifications.quietHours']);
    assert.deepEqual(((await api('GET', '/api/settings')).json as { permissions: unknown }).permissions, { bash: 'deny' });
    assert.equal(vscode.workspace.getConfiguration('hangar').get('notifications.quietHours'), '22:00-07:00');
    await config.update('notifications.quietHours', undefined, vscode.ConfigurationTarget.Global);
  });
});
