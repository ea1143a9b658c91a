// The controller's queue, resync and persistence with a fake agent proxy (the integration suite
// test/integration/chat runs the same against the real opencode).
import assert from 'node:assert/strict';
import { ChatController, type ChatApi, type OcSession, type CommandBody, type PromptBody } from '../../../../extension/chat/chatController';
import type { PersistedChat } from '../../../../extension/chat/chatPersistence';
import type { TranscriptCache } from '../../../../extension/chat/chatOfflineCopy';
import type { Logger } from '../../../../extension/core/ports';
import { ChatHostToWebview, type ChatWebviewToHost } from '../../../../webviews/protocol/chat';

const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const project = { id: 'p1', name: 'demo', status: 'running' as const };
const ses = (id: string, updated: number): OcSession => ({ id, title: id, time: { created: updated, updated } });
const status = (sessionID: string, type: 'idle' | 'busy') => ({ type: 'session.status', properties: { sessionID, status: { type } } });

class FakeApi implements ChatApi {
  sessionList = [ses('ses_a', 2), ses('ses_b', 1)];
  statusMap: Record<string, unknown> = {};
  pending: unknown[] = [];
  prompts: Array<{ sessionId: string; body: PromptBody }> = [];
  down: string | undefined;
  messageCalls = 0;
  sessions() { return Promise.resolve([...this.sessionList]); }
  createSession() { const s = ses(`ses_n${this.sessionList.length}`, 9); this.sessionList.push(s); return Promise.resolve(s); }
  renameSession(id: string) { return Promise.resolve(ses(id, 1)); }
  deleteSession() { return Promise.resolve(); }
  messages(): Promise<unknown[]> { this.messageCalls++; return Promise.resolve([]); }
  statuses() { return Promise.resolve(this.statusMap); }
  promptAsync(sessionId: string, body: PromptBody) {
    if (this.down) return Promise.reject(new Error(this.down));
    this.prompts.push({ sessionId, body });
    return Promise.resolve();
  }
  commandList: unknown = [];
  commandCalls: Array<{ sessionId: string; body: CommandBody }> = [];
  command(sessionId: string, body: CommandBody) { this.commandCalls.push({ sessionId, body }); return Promise.resolve(); }
  commands() { return Promise.resolve(this.commandList); }
  abort() { return Promise.resolve(); }
  replyPermission() { return Promise.resolve(); }
  permissions() { return Promise.resolve(this.pending); }
  providers(): Promise<unknown> { return Promise.resolve({ providers: [{ id: 'fake', name: 'Fake', models: { m: { name: 'M' } } }], default: { fake: 'm' } }); }
  agents() { return Promise.resolve([{ name: 'build', mode: 'primary' }]); }
  sessionDiff() { return Promise.resolve([]); }
  workspaceDiff() { return Promise.resolve([]); }
  fileContent() { return Promise.resolve(undefined); }
}

function setup(opts: { api?: FakeApi; persisted?: PersistedChat; sessionId?: string; cache?: TranscriptCache; now?: () => number } = {}) {
  const api = opts.api ?? new FakeApi();
  const posted: ChatHostToWebview[] = [];
  const saved: PersistedChat[] = [];
  const controller = new ChatController(api, {
    post: (m) => {
      const r = ChatHostToWebview.safeParse(m);
      assert.ok(r.success, `invalid ${m.type}: ${r.success ? '' : r.error.message}`);
      posted.push(m);
    },
    confirmExternal: () => Promise.resolve(false),
    openExternal: () => Promise.resolve(false),
    copy: () => Promise.resolve(),
    persist: (s) => saved.push(structuredClone(s)),
  }, project, log, {
    ...(opts.persisted ? { persisted: opts.persisted } : {}), ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
    ...(opts.cache ? { cache: opts.cache } : {}), ...(opts.now ? { now: opts.now } : {}),
  });
  const send = (text: string, sessionId: string | null = 'ses_a') =>
    controller.handlers['chat.send']({ type: 'chat.send', requestId: 'r', sessionId, text, mentions: [] } as Extract<ChatWebviewToHost, { type: 'chat.send' }>);
  const lastQueue = () => posted.filter((m) => m.type === 'chat.queue').at(-1) as Extract<ChatHostToWebview, { type: 'chat.queue' }> | undefined;
  return { api, controller, posted, saved, send, lastQueue };
}

describe('chat: controller queue', () => {
  it('sends at once when idle; queues while busy and sends on idle, once, even when idle is said twice', async () => {
    const t = setup();
    await t.controller.onReady();
    await t.send('one');
    assert.deepEqual(t.api.prompts.map((p) => p.body.parts[0]), [{ type: 'text', text: 'one' }]);
    t.controller.onEvent(status('ses_a', 'busy'));
    await t.send('two');
    await t.send('three');
    assert.deepEqual(t.lastQueue()?.items.map((q) => q.text), ['two', 'three']);
    assert.equal(t.api.prompts.length, 1);
    t.controller.onEvent(status('ses_a', 'idle'));
    t.controller.onEvent({ type: 'session.idle', properties: { sessionID: 'ses_a' } });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(t.api.prompts.map((p) => (p.body.parts[0] as { text: string }).text), ['one', 'two'], 'the repeated idle did not send "three" too');
    t.controller.onEvent(status('ses_a', 'busy'));
    t.controller.onEvent(status('ses_a', 'idle'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(t.api.prompts.map((p) => (p.body.parts[0] as { text: string }).text), ['one', 'two', 'three']);
    assert.deepEqual(t.lastQueue()?.items, []);
  });

  it('a session busy at load (REST status) gets its prompt queued', async () => {
    const api = new FakeApi();
    api.statusMap = { ses_a: { type: 'busy' } };
    const t = setup({ api });
    await t.controller.onReady();
    await t.send('wait for it');
    assert.equal(api.prompts.length, 0);
    assert.equal(t.lastQueue()?.items.length, 1);
  });

  it('when the API is down the prompt stays queued with its error, and Retry sends it', async () => {
    const t = setup();
    await t.controller.onReady();
    t.api.down = 'connect ECONNREFUSED 127.0.0.1:7420';
    await t.send('do not lose me');
    const failed = t.lastQueue()?.items[0];
    assert.equal(failed?.text, 'do not lose me');
    assert.match(failed?.error ?? '', /^Not sent: connect ECONNREFUSED 127\.0\.0\.1:7420\. It stays queued: Retry/);
    t.api.down = undefined;
    await t.controller.handlers['chat.queue.retry']({ type: 'chat.queue.retry', id: failed!.id });
    assert.deepEqual(t.api.prompts.map((p) => p.sessionId), ['ses_a']);
    assert.deepEqual(t.lastQueue()?.items, []);
  });

  it('a prompt with no session creates one and goes there', async () => {
    const t = setup();
    await t.controller.onReady();
    await t.send('new topic', null);
    assert.deepEqual(t.api.prompts.map((p) => p.sessionId), ['ses_n2']);
    assert.equal(t.controller.activeSession, 'ses_n2');
  });

  it('persists session, drafts, queue and the picked model; a new controller restores them', async () => {
    const t = setup();
    await t.controller.onReady();
    t.controller.onEvent(status('ses_a', 'busy'));
    await t.controller.handlers['chat.send']({ type: 'chat.send', requestId: 'r', sessionId: 'ses_a', text: 'queued', mentions: [], model: { providerId: 'fake', modelId: 'm' }, agent: 'build' });
    await t.controller.handlers['chat.draft']({ type: 'chat.draft', sessionId: 'ses_a', text: 'draft' });
    const saved = t.saved.at(-1)!;
    assert.deepEqual({ ...saved, queue: saved.queue.map((q) => q.text) }, {
      v: 1, activeSessionId: 'ses_a', drafts: { ses_a: 'draft' }, queue: ['queued'], model: { providerId: 'fake', modelId: 'm' }, agent: 'build',
    });
    const again = setup({ persisted: saved, api: Object.assign(new FakeApi(), { statusMap: { ses_a: { type: 'busy' } } }) });
    await again.controller.onReady();
    const init = again.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual([init.activeSessionId, init.draft, init.model, init.agent], ['ses_a', 'draft', { providerId: 'fake', modelId: 'm' }, 'build']);
    assert.deepEqual(again.lastQueue()?.items.map((q) => q.text), ['queued']);
  });

  it('opens the requested session (hangar.openSession), also on a panel already open', async () => {
    const t = setup({ sessionId: 'ses_b' });
    await t.controller.onReady();
    assert.equal(t.controller.activeSession, 'ses_b');
    await t.controller.openSession('ses_a');
    assert.equal(t.controller.activeSession, 'ses_a');
    await assert.rejects(t.controller.openSession('ses_gone'), /not in demo any more/);
  });

  it('resync re-reads sessions, transcript, status and pending permissions', async () => {
    const t = setup();
    await t.controller.onReady();
    const calls = t.api.messageCalls;
    t.api.pending = [{ id: 'per_1', sessionID: 'ses_a', permission: 'bash', patterns: ['ls'], metadata: {}, always: [] }, { id: 'per_2', sessionID: 'ses_b', permission: 'bash' }];
    t.posted.length = 0;
    t.controller.onEvent({ type: 'resync', properties: {} });
    await t.controller.resync();
    assert.equal(t.api.messageCalls, calls + 1);
    assert.deepEqual(t.posted.map((m) => m.type), ['chat.sessions', 'chat.transcript', 'chat.status', 'chat.permission']);
  });

  it('a transcript read mid-turn keeps the text streamed so far (opencode saves a part only when it ends)', async () => {
    const api = new FakeApi();
    const saved = { info: { id: 'msg_a', sessionID: 'ses_a', role: 'assistant', time: { created: 1 } }, parts: [{ id: 'prt_t', messageID: 'msg_a', sessionID: 'ses_a', type: 'text', text: '' }] };
    api.messages = () => { api.messageCalls++; return Promise.resolve([saved]); };
    const t = setup({ api });
    await t.controller.onReady();
    t.controller.onEvent(status('ses_a', 'busy'));
    t.controller.onEvent({ type: 'message.part.updated', properties: { part: saved.parts[0] } });
    for (const delta of ['Hel', 'lo, ', 'wor']) t.controller.onEvent({ type: 'message.part.delta', properties: { sessionID: 'ses_a', messageID: 'msg_a', partID: 'prt_t', field: 'text', delta } });
    t.posted.length = 0;
    await t.controller.resync(); // a webview that reloads gets the same
    const tr = t.posted.find((m) => m.type === 'chat.transcript');
    assert.ok(tr?.type === 'chat.transcript');
    assert.equal((tr.messages[0]!.parts[0] as { text: string }).text, 'Hello, wor');
    t.controller.onEvent(status('ses_a', 'idle'));
    t.posted.length = 0;
    await t.controller.resync();
    const after = t.posted.find((m) => m.type === 'chat.transcript');
    assert.equal(after?.type === 'chat.transcript' && (after.messages[0]!.parts[0] as { text: string }).text, '', 'once idle the saved copy is the truth');
  });

  it('fills the pickers and starts on the agent\'s default model', async () => {
    const t = setup();
    await t.controller.onReady();
    const init = t.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual([init.models, init.agents, init.model, init.agent], [[{ providerId: 'fake', modelId: 'm', name: 'Fake · M' }], [{ name: 'build' }], { providerId: 'fake', modelId: 'm' }, 'build']);
  });
});

describe('chat: controller slash commands', () => {
  it('lists the agent\'s commands, sends `/name args` as a command and other text as a prompt', async () => {
    const api = new FakeApi();
    api.commandList = [{ name: 'review', description: 'Review a file', template: 'Review $ARGUMENTS' }, { name: 'init' }, { bad: 1 }];
    const t = setup({ api });
    await t.controller.onReady();
    const init = t.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual(init.commands, [{ name: 'init' }, { name: 'review', description: 'Review a file' }]);
    await t.send('/review  src/app.ts now');
    assert.deepEqual(api.commandCalls, [{
      sessionId: 'ses_a', body: { command: 'review', arguments: 'src/app.ts now' },
    }]);
    assert.equal(api.prompts.length, 0);
    t.controller.onEvent(status('ses_a', 'busy'));
    t.controller.onEvent(status('ses_a', 'idle'));
    await new Promise((r) => setImmediate(r));
    await t.send('/nosuch thing');
    assert.deepEqual(api.prompts.map((p) => p.body.parts[0]), [{ type: 'text', text: '/nosuch thing' }], 'an unknown command is plain text');
  });

  it('a saved command file (agentFilesChanged) sends the new command list', async () => {
    const api = new FakeApi();
    const t = setup({ api });
    await t.controller.onReady();
    api.commandList = [{ name: 'ship', description: 'Ship it' }];
    await t.controller.agentFilesChanged();
    const m = t.posted.filter((x) => x.type === 'chat.models').at(-1);
    assert.ok(m?.type === 'chat.models');
    assert.deepEqual(m.commands, [{ name: 'ship', description: 'Ship it' }]);
  });
});

describe('chat: controller models after a provider change', () => {
  it('reopened on a model the agent no longer has: falls back to its default, says so, and sends with the default', async () => {
    const t = setup({ persisted: { v: 1, activeSessionId: 'ses_a', drafts: {}, queue: [], model: { providerId: 'opencode', modelId: 'big-pickle' } } });
    await t.controller.onReady();
    const init = t.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual(init.model, { providerId: 'fake', modelId: 'm' });
    const notice = t.posted.find((m) => m.type === 'chat.models');
    assert.ok(notice?.type === 'chat.models');
    assert.equal(notice.notice, 'opencode/big-pickle is not available on this agent any more: using Fake · M.');
    // A prompt queued with the stale model (sent before the notice arrived) goes with the agent's default.
    await t.controller.handlers['chat.send']({ type: 'chat.send', requestId: 'r', sessionId: 'ses_a', text: 'hi', mentions: [], model: { providerId: 'opencode', modelId: 'big-pickle' } });
    assert.deepEqual(t.api.prompts.at(-1)?.body.model, { providerID: 'fake', modelID: 'm' });
  });

  it('agent.config: reloads the model list from the agent and moves to its new default', async () => {
    const api = new FakeApi();
    const t = setup({ api });
    await t.controller.onReady();
    await t.controller.handlers['chat.send']({ type: 'chat.send', requestId: 'r', sessionId: 'ses_a', text: 'hi', mentions: [], model: { providerId: 'fake', modelId: 'm' } });
    api.providers = () => Promise.resolve({ providers: [{ id: 'fakellm', name: 'Fake LLM', models: { 'fake-model': { name: 'fake-model' } } }], default: { fakellm: 'fake-model' } });
    await t.controller.modelsChanged({ needsRedeploy: null });
    const m = t.posted.filter((x) => x.type === 'chat.models').at(-1);
    assert.ok(m?.type === 'chat.models');
    assert.deepEqual([m.models, m.model, m.needsRedeploy], [[{ providerId: 'fakellm', modelId: 'fake-model', name: 'Fake LLM · fake-model' }], { providerId: 'fakellm', modelId: 'fake-model' }, undefined]);
    await t.controller.modelsChanged({ needsRedeploy: 'the agent still runs with the provider it was deployed with, not fakellm' });
    const r = t.posted.filter((x) => x.type === 'chat.models').at(-1);
    assert.ok(r?.type === 'chat.models');
    assert.equal(r.needsRedeploy, 'This project needs a redeploy for its provider change: the agent still runs with the provider it was deployed with, not fakellm.');
  });

  it('"Start" on a stopped project starts it without a prompt waiting', async () => {
    let started = 0;
    const api = new FakeApi();
    const posted: ChatHostToWebview[] = [];
    const controller = new ChatController(api, {
      post: (m) => posted.push(m), confirmExternal: () => Promise.resolve(false), openExternal: () => Promise.resolve(false), copy: () => Promise.resolve(),
      startProject: () => { started++; return Promise.resolve(); },
    }, { ...project, status: 'stopped' }, log);
    await controller.handlers['chat.start']({ type: 'chat.start', requestId: 'r' });
    assert.equal(started, 1);
    const s = posted.find((m) => m.type === 'chat.starting');
    assert.ok(s?.type === 'chat.starting');
    assert.deepEqual(s.starting, { phase: 'starting', message: 'Starting demo…' });
  });
});

// The offline copy (issue #14): a transcript read from the agent is kept; when the agent cannot be
// reached, the copy is shown read-only with its age; when it answers again, the live one replaces it.
type CachedEntry = { at: number; usedAt: number; title?: string; messages: readonly unknown[] };
function memoryCache(now: () => number): TranscriptCache & { map: Map<string, CachedEntry> } {
  const map = new Map<string, CachedEntry>();
  return {
    map,
    ready: Promise.resolve(),
    list: () => [...map].sort(([, a], [, b]) => b.usedAt - a.usedAt).map(([sessionId, transcript]) => ({ sessionId, transcript })),
    put: (sessionId, t) => { map.set(sessionId, { at: now(), usedAt: now(), ...t }); },
    touch: (sessionId) => { const t = map.get(sessionId); if (t) t.usedAt = now(); },
  };
}

/** The agent through the proxy: `offline` fails every read as the extension sees it with the API gone. */
class OfflineCapableApi extends FakeApi {
  offline = false;
  override sessions() { return this.offline ? Promise.reject(new Error('fetch failed')) : super.sessions(); }
  override messages(id?: string): Promise<unknown[]> {
    return Promise.resolve([{
      info: { id: `msg_${id}1`, sessionID: id, role: 'user', time: { created: 1 } },
      parts: [{ id: `prt_${id}1`, sessionID: id, messageID: `msg_${id}1`, type: 'text', text: `hello from ${id}` }],
    }]);
  }
}

describe('chat: offline copy (issue #14)', () => {
  it('keeps what it read, shows it read-only with its age when the agent is gone, and goes live again', async () => {
    let clock = Date.parse('2026-01-01T12:00:00Z');
    const now = () => clock;
    const api = new OfflineCapableApi();
    api.sessionList = [{ ...ses('ses_a', 2), title: 'Fix the build' }, ses('ses_b', 1)];
    const cache = memoryCache(now);
    const first = setup({ api, cache, now });
    await first.controller.onReady();
    first.controller.dispose();
    assert.deepEqual([...cache.map.keys()], ['ses_a'], 'the open session was kept');
    assert.equal(cache.map.get('ses_a')?.title, 'Fix the build');

    // A new window, 5 minutes later, while the API is down.
    clock += 5 * 60_000;
    api.offline = true;
    const second = setup({ api, cache, now });
    await second.controller.onReady();
    const init = second.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual(init.sessions.map((s) => [s.id, s.title]), [['ses_a', 'Fix the build']]);
    assert.equal(init.activeSessionId, 'ses_a');
    const transcript = second.posted.find((m) => m.type === 'chat.transcript');
    assert.ok(transcript?.type === 'chat.transcript');
    assert.deepEqual([transcript.sessionId, transcript.hasOlder, transcript.messages.map((m) => m.info.id)], ['ses_a', false, ['msg_ses_a1']]);
    const banner = second.posted.find((m) => m.type === 'chat.offlineCopy');
    assert.deepEqual(banner, { type: 'chat.offlineCopy', copy: { savedAt: clock - 5 * 60_000, age: '5 min ago' } });

    // The agent answers again: the chat loads by itself and the banner goes.
    api.offline = false;
    second.controller.connection('connected');
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(second.posted.filter((m) => m.type === 'chat.offlineCopy').at(-1), { type: 'chat.offlineCopy', copy: null });
    const live = second.posted.filter((m) => m.type === 'chat.init').at(-1);
    assert.ok(live?.type === 'chat.init');
    assert.deepEqual(live.sessions.map((s) => s.id), ['ses_a', 'ses_b']);
    second.controller.dispose();
  });

  it('shows nothing from the copy when the store has none (the plain offline init)', async () => {
    const api = new OfflineCapableApi();
    api.offline = true;
    const t = setup({ api, cache: memoryCache(Date.now) });
    await t.controller.onReady();
    const init = t.posted.find((m) => m.type === 'chat.init');
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual([init.sessions, init.activeSessionId], [[], null]);
    assert.equal(t.posted.some((m) => m.type === 'chat.offlineCopy' || m.type === 'chat.transcript'), false);
    t.controller.dispose();
  });
});
