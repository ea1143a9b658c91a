// The chat host against the real opencode (through the real API's proxy and event relay) with the
// fake LLM: the prompt queue, permissions, abort, a dropped event stream, the pickers, starting a
// stopped project, and the transcript the webview's store builds always equal to the agent's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from '../../../backend/contract';
import { startAgentWorld, until, type AgentWorld } from '../agent/support';
import { agentTranscript, startChatHost, storeTranscript, type ChatHost } from './chatHost';
import { renderInBrowser } from './hostileBrowser';

const SLOW = { chunkSize: 3, delayMs: 60 };

describe('chat host against the real opencode', function () {
  // Generous: on a loaded machine the agent's first answers take a while.
  this.timeout(240_000);
  let world: AgentWorld;
  let host: ChatHost;
  let sessionId: string;

  const idle = (sid: string) => until('the session to be idle', async () => {
    const s = (await world.alice.get<Record<string, unknown>>(`${world.base}/session/status`)).body;
    return s[sid] === undefined ? true : undefined;
  }, 60_000);
  const send = (text: string, extra: Record<string, unknown> = {}) => host.controller.handlers['chat.send']({
    type: 'chat.send', requestId: 'r', sessionId, text, mentions: [], model: { providerId: 'fake', modelId: 'fake-model' }, ...extra,
  });

  before(async () => {
    world = await startAgentWorld();
    // Its first answer can take a while on a loaded machine (opencode warms up on the first request).
    await until('the agent to answer', async () => ((await world.alice.get(`${world.base}/session`)).status === 200 ? true : undefined), 90_000);
    // The chat opens on the agent's latest session and creates none by itself (a first send would): make one.
    assert.equal((await world.alice.post(`${world.base}/session`, {})).status, 200);
    host = startChatHost(world);
    await until('the stream', () => (host.stream.state.kind === 'open' ? true : undefined), 15_000);
    await host.controller.onReady();
    sessionId = host.controller.activeSession!;
    assert.ok(sessionId);
  });

  after(async () => {
    host?.close();
    await world?.close();
  });

  it('fills the model and agent pickers from the agent\'s own lists', () => {
    const init = host.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual(init.models, [{ providerId: 'fake', modelId: 'fake-model', name: 'Fake · Fake' }]);
    assert.deepEqual(init.agents.map((a) => a.name), ['build', 'plan'], 'primary agents only (no subagents, no hidden ones)');
    assert.deepEqual([init.model, init.agent], [{ providerId: 'fake', modelId: 'fake-model' }, 'build']);
  });

  it('queues a prompt sent while the agent is busy and sends it, in order, when the session goes idle', async () => {
    world.llm.enqueue({ text: 'First answer, streamed slowly enough to queue behind it.', ...SLOW }, { text: 'Second answer.' });
    await send('first prompt', { agent: 'plan' });
    await until('busy', () => (host.store.bySession.get(sessionId)?.status.type === 'busy' ? true : undefined), 15_000);
    await send('second prompt');
    assert.deepEqual(host.store.queue.map((q) => [q.sessionId, q.text, q.error]), [[sessionId, 'second prompt', undefined]], 'visible in the queue while busy');
    assert.deepEqual((await agentTranscript(world, sessionId)).filter(([r]) => r === 'user').map(([, t]) => t), ['first prompt'], 'not sent yet');
    await until('the queue to drain', () => (host.store.queue.length === 0 ? true : undefined), 60_000);
    await until('both answers', async () => ((await agentTranscript(world, sessionId)).filter(([r, t]) => r === 'assistant' && t).length === 2 ? true : undefined), 60_000);
    await idle(sessionId);
    const agent = await agentTranscript(world, sessionId);
    assert.deepEqual(agent.filter(([r]) => r === 'user').map(([, t]) => t), ['first prompt', 'second prompt']);
    const texts = agent.map(([, t]) => t).filter(Boolean);
    assert.ok(texts.indexOf('Second answer.') > texts.indexOf('second prompt'), JSON.stringify(agent));
    await until('the webview\'s transcript to equal the agent\'s', async () => (JSON.stringify(storeTranscript(host.store, sessionId)) === JSON.stringify(await agentTranscript(world, sessionId)) ? true : undefined), 10_000);
    const bodies = world.llm.requests.filter((r) => !r.isTitle);
    assert.equal(bodies.length, 2, 'each prompt sent exactly once');
    // The agent picked in the picker went with the first prompt; the second kept the last choice.
    const users = (await world.alice.get<Array<{ info: { role: string; agent?: string } }>>(`${world.base}/session/${sessionId}/message`)).body.filter((m) => m.info.role === 'user');
    assert.deepEqual(users.map((m) => m.info.agent), ['plan', 'build']);
  });

  it('keeps the queue and draft in the persisted state, and a restored host sends what was queued', async () => {
    await host.controller.handlers['chat.draft']({ type: 'chat.draft', sessionId, text: 'half-typed thought' });
    const last = host.persisted.at(-1);
    assert.equal(last?.drafts[sessionId], 'half-typed thought');
    assert.equal(last?.activeSessionId, sessionId);
    // A reload while a prompt waits: the new host (same persisted state) shows it and sends it.
    const persisted = { ...last!, queue: [{ id: 'qreload', sessionId, text: 'queued before the reload', mentions: [], createdAt: 1 }] };
    host.close();
    world.llm.enqueue({ text: 'Answer after the reload.' });
    host = startChatHost(world, { persisted });
    await until('the stream', () => (host.stream.state.kind === 'open' ? true : undefined), 15_000);
    await host.controller.onReady();
    const init = host.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.equal(init.activeSessionId, sessionId);
    assert.equal(init.draft, 'half-typed thought');
    await until('the restored prompt to be sent', async () => ((await agentTranscript(world, sessionId)).some(([, t]) => t === 'Answer after the reload.') ? true : undefined), 60_000);
    assert.equal(host.store.queue.length, 0);
    await idle(sessionId);
  });

  it('asks for a bash permission and runs the command once allowed', async () => {
    world.llm.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo allowed-run', description: 'Say it' } }] }, { text: 'Ran it.' });
    await send('run echo');
    const asked = await until('the permission card', () => host.store.bySession.get(sessionId)?.permissions.values().next().value, 30_000);
    assert.equal(asked.request.permission, 'bash');
    await host.controller.handlers['chat.permissionReply']({ type: 'chat.permissionReply', requestId: 'r', sessionId, permissionId: asked.request.id, reply: 'once' });
    await until('the reply to be confirmed', () => (host.posted.some((m) => m.type === 'chat.permissionReplied' && m.requestId === asked.request.id) ? true : undefined), 15_000);
    await idle(sessionId);
    const parts = (await world.alice.get<Array<{ parts: Array<{ type: string; tool?: string; state?: { status: string; output?: string } }> }>>(`${world.base}/session/${sessionId}/message`)).body.flatMap((m) => m.parts);
    const tool = parts.filter((p) => p.type === 'tool' && p.tool === 'bash').at(-1);
    assert.equal(tool?.state?.status, 'completed');
    assert.match(tool?.state?.output ?? '', /allowed-run/);
  });

  it('aborts a long turn: the error shows in place and the session is idle again', async () => {
    world.llm.enqueue({ text: 'x'.repeat(3000), chunkSize: 5, delayMs: 40 });
    await send('a very long answer please');
    await until('streaming', () => (host.posted.filter((m) => m.type === 'chat.delta').length > 5 ? true : undefined), 30_000);
    await host.controller.handlers['chat.abort']({ type: 'chat.abort', requestId: 'r', sessionId });
    await until('the abort error', () => (host.store.bySession.get(sessionId)?.error?.name === 'MessageAbortedError' ? true : undefined), 30_000);
    await until('idle in the webview', () => (host.store.bySession.get(sessionId)?.status.type === 'idle' ? true : undefined), 30_000);
    await idle(sessionId);
  });

  it('after the event stream drops mid-answer it reconnects, resyncs, and the transcript equals the agent\'s', async () => {
    world.llm.enqueue({ text: 'Resilient answer: '.concat('word '.repeat(120)), chunkSize: 6, delayMs: 25 });
    const before = host.posted.length;
    await send('stream through a drop');
    await until('streaming', () => (host.posted.slice(before).filter((m) => m.type === 'chat.delta').length > 3 ? true : undefined), 30_000);
    // The connection goes away mid-stream (the reader is cut), and comes back on its own.
    const resyncsBefore = host.posted.filter((m) => m.type === 'chat.transcript').length;
    host.stream.stop();
    await new Promise((r) => setTimeout(r, 700));
    host.stream.start();
    await until('reconnected and resynced', () => (host.posted.filter((m) => m.type === 'chat.transcript').length > resyncsBefore ? true : undefined), 30_000);
    await idle(sessionId);
    await until('the webview\'s transcript to equal the agent\'s', async () => (JSON.stringify(storeTranscript(host.store, sessionId)) === JSON.stringify(await agentTranscript(world, sessionId)) ? true : undefined), 15_000);
    assert.ok(host.posted.some((m) => m.type === 'chat.connection' && m.state === 'reconnecting'), 'the panel showed "reconnecting"');
  });

  it('lists the changes and opens a changed file as a whole before/after pair', async () => {
    const workspace = path.join(world.api.dataDir, 'projects', world.project.id, 'workspace');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: workspace });
    fs.writeFileSync(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\n');
    if (!fs.existsSync(path.join(workspace, '.git'))) git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    world.llm.enqueue({ toolCalls: [{ name: 'write', arguments: { filePath: path.join(workspace, 'notes.txt'), content: 'alpha\nbeta\nGAMMA\ndelta\nepsilon\nzeta\neta\ntheta\n' } }] }, { text: 'Edited.' });
    await send('edit the notes');
    await idle(sessionId);
    await host.controller.handlers['chat.changes.load']({ type: 'chat.changes.load', requestId: 'r', sessionId });
    const changes = host.store.changes.get(sessionId);
    const notes = changes?.files.find((f) => f.file === 'notes.txt');
    assert.deepEqual(notes, { file: 'notes.txt', status: 'modified', additions: 2, deletions: 1 }, JSON.stringify(changes));
    await host.controller.handlers['chat.changes.open']({ type: 'chat.changes.open', requestId: 'r', sessionId, file: 'notes.txt' });
    const d = host.diffs.at(-1);
    assert.equal(d?.before.replace(/\n$/, ''), 'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta');
    assert.equal(d?.after.replace(/\n$/, ''), 'alpha\nbeta\nGAMMA\ndelta\nepsilon\nzeta\neta\ntheta');
  });

  it('renders hostile agent output inert in a real browser: nothing executes, no javascript: link works, still responsive', async () => {
    const hostile = [
      'Here you go: <script>window.__pwned = "script"</script>',
      '<img src=x onerror="window.__pwned=\'img\'"> <svg onload="window.__pwned=\'svg\'"></svg>',
      '[click me](javascript:window.__pwned=\'link\') <a href="javascript:window.__pwned=\'a\'" onclick="window.__pwned=\'a\'">raw</a>',
      'x'.repeat(200 * 1024),
    ].join('\n\n');
    world.llm.enqueue({ text: hostile, chunkSize: 20_000, delayMs: 5 });
    await send('show me something nasty');
    await idle(sessionId);
    await until('the answer in the webview\'s store', () => (storeTranscript(host.store, sessionId).some(([, t]) => t === hostile) ? true : undefined), 60_000);
    const seen = await renderInBrowser(host.posted, 'click me');
    assert.deepEqual(seen.dom, { pwned: null, scripts: 2, handlers: 0, active: 0, hrefs: [] });
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.openedLinks.filter((u) => /^javascript:/i.test(u)), [], 'the javascript: link did not reach the host');
    assert.ok(seen.hugeLineShown, 'the 200 KB line is in the page');
    assert.equal(seen.typed, 'still responsive');
  });

  it('sending to a stopped project starts it, then delivers the prompt', async () => {
    const id = world.project.id;
    assert.equal((await world.alice.post(`/api/projects/${id}/stop`, {})).status, 202);
    await until('stopped', async () => ((await world.alice.get<Project>(`/api/projects/${id}`)).body.status === 'stopped' ? true : undefined), 60_000);
    host.setStatus('stopped');
    world.llm.enqueue({ text: 'Answer from a started agent.' });
    await send('wake up and answer');
    // The agent refuses it (409 project_not_running): the host starts the project, the prompt waits without an error.
    await until('the panel to show the start', () => (host.store.starting?.phase === 'starting' ? true : undefined), 10_000);
    assert.deepEqual(host.store.queue.map((q) => [q.text, q.error]), [['wake up and answer', undefined]], 'the prompt waits in the queue meanwhile');
    await until('sent after the start', () => (host.store.queue.length === 0 ? true : undefined), 90_000);
    assert.equal(host.store.starting, null);
    await until('the answer', async () => ((await agentTranscript(world, sessionId)).some(([, t]) => t === 'Answer from a started agent.') ? true : undefined), 60_000)
      .catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the agent has ${JSON.stringify(await agentTranscript(world, sessionId))}; fake LLM requests ${world.llm.requests.length}`, { cause: e });
      });
  });
});
