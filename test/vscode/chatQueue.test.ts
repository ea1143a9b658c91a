// The chat as a user drives it, in the real VS Code against the real opencode (fake LLM): a prompt
// queued while the agent works, a bash permission approved, a long turn aborted, the panel brought
// back through its serializer with session, draft and queue, and a dropped event stream after which
// the webview's transcript equals the agent's. Screenshots: test-results/vscode-chat-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { fakeProviderConfig, startFakeLlm, type FakeLlm } from '../fixtures/fakeLlm/server';
import type { ChatHostToWebview } from '../../webviews/protocol/chat';
import { applyHostMessage } from '../../webviews/chat/store/reduce';
import { partsOf } from '../../webviews/chat/store/selectors';
import { createChatState } from '../../webviews/chat/store/state';
import { activeExtension, api, createAgentSession, env, snapshot, uniqueName, waitFor } from './helpers';

interface ProjectLike { id: string; name: string; slug: string; status: string }
interface ChatProbe { title: string; ready: boolean; readyCount: number; activeSessionId: string | null; stream: string; posted: ChatHostToWebview[] }
type Answer = { ok: boolean; error?: string };

const MODEL = { providerId: 'fake', modelId: 'fake-model' };

async function screenshot(name: string): Promise<void> {
  const ext = await activeExtension();
  const file = path.join(ext.extensionPath, 'test-results', name);
  fs.rmSync(file, { force: true });
  console.log(`[hangar-screenshot] ${name}`);
  await waitFor(`screenshot ${name}`, async () => fs.existsSync(file), (v) => v, 15_000);
}

/** The transcript the webview's store builds from what the host posted: [role, text] per message. */
function webviewTranscript(posted: ChatHostToWebview[], sessionId: string): Array<[string, string]> {
  const store = createChatState();
  for (const m of posted) if (m.type !== 'response') applyHostMessage(store, m);
  const s = store.bySession.get(sessionId);
  if (!s) return [];
  return s.order.map((id) => {
    const e = s.messages.get(id)!;
    return [e.info.role, partsOf(s, e).filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('')];
  });
}

describe('chat panel: queue, permissions, abort, restore, resync', function () {
  this.timeout(180_000);
  let project: ProjectLike | undefined;
  let llm: FakeLlm | undefined;
  let sessionId = '';
  const id = () => project!.id;
  const probe = async () => vscode.commands.executeCommand<ChatProbe | undefined>('hangar.internal.chat', { projectId: id() });
  const inject = async (m: Record<string, unknown>) => vscode.commands.executeCommand<Answer>('hangar.internal.chat', { projectId: id(), inject: { requestId: `t-${Date.now()}`, ...m } });
  const send = (text: string) => inject({ type: 'chat.send', sessionId, text, mentions: [], model: MODEL });
  const agentTranscript = async (): Promise<Array<[string, string]>> => {
    const res = await api('GET', `/api/projects/${id()}/opencode/session/${sessionId}/message`);
    return (res.json as Array<{ info: { role: string }; parts: Array<{ type: string; text?: string }> }>).map((m) => [m.info.role, m.parts.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('')]);
  };
  const agentIdle = () => waitFor('the agent to be idle', async () => (await api('GET', `/api/projects/${id()}/opencode/session/status`)).json as Record<string, unknown>, (s) => s[sessionId] === undefined, 60_000);
  const posted = async () => (await probe())?.posted ?? [];

  before(async () => {
    assert.equal((await snapshot()).connection, 'connected', 'the connection suite must run first');
    llm = await startFakeLlm();
    const created = await api('POST', '/api/projects', { name: uniqueName('chatq') });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    project = created.json as ProjectLike;
    const workspace = path.join(env('HANGAR_TEST_DATA_DIR'), 'projects', project.id, 'workspace');
    fs.mkdirSync(workspace, { recursive: true });
    const config = fakeProviderConfig(llm.baseUrl) as { provider: { fake: { options: { apiKey: string } } }; permission?: unknown };
    config.provider.fake.options.apiKey = 'fake-key';
    config.permission = { bash: 'ask' };
    fs.writeFileSync(path.join(workspace, 'opencode.json'), JSON.stringify(config, null, 2));
    assert.equal((await api('POST', `/api/projects/${project.id}/deploy`, { force: false })).status, 202);
    await waitFor('the project to run', async () => (await api('GET', `/api/projects/${id()}`)).json as ProjectLike, (p) => p.status === 'running' || p.status === 'failed', 90_000);
    const first = await createAgentSession(project.id);
    assert.equal(await vscode.commands.executeCommand('hangar.openChat', { id: project.id }), true);
    const p = await waitFor('the chat to load', probe, (v) => v?.ready === true && v.stream === 'open' && v.posted.some((m) => m.type === 'chat.transcript'), 30_000);
    sessionId = p!.activeSessionId!;
    assert.equal(sessionId, first);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (project) await api('DELETE', `/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`);
    await llm?.close();
  });

  it('fills the model and agent pickers from the agent', async () => {
    const init = (await posted()).find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual(init.models.map((m) => `${m.providerId}/${m.modelId}`), ['fake/fake-model']);
    assert.deepEqual(init.agents.map((a) => a.name), ['build', 'plan']);
  });

  it('queues a prompt sent while the agent works and sends it when the session goes idle', async () => {
    llm!.enqueue({ text: 'A slow first answer that keeps the agent busy for a while. '.repeat(3), chunkSize: 4, delayMs: 50 }, { text: 'The queued prompt\'s answer.' });
    assert.deepEqual(await send('first, slow'), { ok: true });
    await waitFor('busy', posted, (ps) => ps.some((m) => m.type === 'chat.status' && m.status.type === 'busy'), 20_000);
    assert.deepEqual(await send('second, queued'), { ok: true });
    const queued = (await posted()).filter((m) => m.type === 'chat.queue').at(-1);
    assert.deepEqual(queued?.type === 'chat.queue' && queued.items.map((q) => q.text), ['second, queued']);
    await screenshot('vscode-chat-queued.png');
    await waitFor('the queue to drain', posted, (ps) => { const q = ps.filter((m) => m.type === 'chat.queue').at(-1); return q?.type === 'chat.queue' && q.items.length === 0; }, 60_000);
    await waitFor('the second answer', agentTranscript, (t) => t.some(([, x]) => x === 'The queued prompt\'s answer.'), 60_000);
    await agentIdle();
    const users = (await agentTranscript()).filter(([r]) => r === 'user').map(([, t]) => t);
    assert.deepEqual(users.slice(-2), ['first, slow', 'second, queued']);
  });

  it('approves a bash permission from the card and the command runs', async () => {
    llm!.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo approved-in-vscode', description: 'Print a word' } }] }, { text: 'Done.' });
    await send('run the echo');
    const asked = await waitFor('the permission', posted, (ps) => ps.some((m) => m.type === 'chat.permission'), 30_000);
    const request = asked.filter((m) => m.type === 'chat.permission').at(-1);
    assert.ok(request?.type === 'chat.permission');
    await screenshot('vscode-chat-permission.png');
    assert.deepEqual(await inject({ type: 'chat.permissionReply', sessionId, permissionId: request.request.id, reply: 'once' }), { ok: true });
    await waitFor('the reply', posted, (ps) => ps.some((m) => m.type === 'chat.permissionReplied' && m.requestId === request.request.id), 15_000);
    await agentIdle();
    const res = await api('GET', `/api/projects/${id()}/opencode/session/${sessionId}/message`);
    const tools = (res.json as Array<{ parts: Array<{ type: string; tool?: string; state?: { status: string; output?: string } }> }>).flatMap((m) => m.parts).filter((p) => p.type === 'tool' && p.tool === 'bash');
    assert.match(tools.at(-1)?.state?.output ?? '', /approved-in-vscode/);
  });

  it('aborts a long turn', async () => {
    llm!.enqueue({ text: 'y'.repeat(4000), chunkSize: 4, delayMs: 40 });
    await send('a long one');
    const before = (await posted()).length;
    await waitFor('streaming', posted, (ps) => ps.slice(before).filter((m) => m.type === 'chat.delta').length > 5, 30_000);
    assert.deepEqual(await inject({ type: 'chat.abort', sessionId }), { ok: true });
    await waitFor('the abort', posted, (ps) => ps.some((m) => m.type === 'chat.error' && m.error.name === 'MessageAbortedError'), 30_000);
    await agentIdle();
    await screenshot('vscode-chat-aborted.png');
  });

  it('comes back after a reload (serializer path) with its session, draft and queue', async () => {
    llm!.enqueue({ text: 'Busy during the reload. '.repeat(6), chunkSize: 4, delayMs: 60 }, { text: 'Sent after the reload.' });
    await send('keep busy');
    await waitFor('busy', posted, (ps) => ps.filter((m) => m.type === 'chat.status').at(-1)?.type === 'chat.status', 20_000);
    await waitFor('busy status', posted, (ps) => { const s = ps.filter((m) => m.type === 'chat.status').at(-1); return s?.type === 'chat.status' && s.status.type === 'busy'; }, 20_000);
    await send('waits through the reload');
    await vscode.commands.executeCommand('hangar.internal.chat', { projectId: id(), inject: { type: 'chat.draft', sessionId, text: 'a draft that must survive' } });
    const reloaded = await vscode.commands.executeCommand<Answer>('hangar.internal.chat', { projectId: id(), reload: true });
    assert.deepEqual(reloaded, { ok: true });
    const back = await waitFor('the restored panel', probe, (v) => v?.ready === true && v.posted.some((m) => m.type === 'chat.init'), 30_000);
    const init = back!.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.equal(init.activeSessionId, sessionId);
    assert.equal(init.draft, 'a draft that must survive');
    assert.equal(back!.title, `Chat: ${project!.name}`);
    const q = back!.posted.find((m) => m.type === 'chat.queue');
    const stillQueued = q?.type === 'chat.queue' && q.items.some((i) => i.text === 'waits through the reload');
    const alreadySent = (await agentTranscript()).some(([, t]) => t === 'waits through the reload');
    assert.ok(stillQueued || alreadySent, 'the queued prompt survived the reload');
    await screenshot('vscode-chat-restored.png');
    await waitFor('the queued prompt to be answered', agentTranscript, (t) => t.some(([, x]) => x === 'Sent after the reload.'), 60_000);
    await agentIdle();
  });

  it('after the relayed event stream is cut mid-answer, the webview\'s transcript equals the agent\'s', async () => {
    llm!.enqueue({ text: 'Through the cut: '.concat('token '.repeat(150)), chunkSize: 6, delayMs: 30 });
    await send('stream through a cut');
    const before = (await posted()).length;
    await waitFor('streaming', posted, (ps) => ps.slice(before).filter((m) => m.type === 'chat.delta').length > 3, 30_000);
    assert.deepEqual(await vscode.commands.executeCommand<Answer>('hangar.internal.chat', { projectId: id(), dropStreamMs: 1500 }), { ok: true });
    await screenshot('vscode-chat-reconnecting.png');
    await waitFor('reconnected', probe, (v) => v?.stream === 'open', 30_000);
    await agentIdle();
    const agent = await agentTranscript();
    await waitFor('the webview\'s transcript to equal the agent\'s', async () => webviewTranscript(await posted(), sessionId), (t) => JSON.stringify(t) === JSON.stringify(agent), 20_000);
    const ps = await posted();
    assert.ok(ps.some((m) => m.type === 'chat.connection' && m.state === 'reconnecting'), 'the panel showed "reconnecting…"');
    await screenshot('vscode-chat-resynced.png');
  });
});
