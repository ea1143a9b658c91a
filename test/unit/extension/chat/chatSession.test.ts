import assert from 'node:assert/strict';
import {
  ChatController, chatApi, messageView, translateEvent, type ChatApi, type OcSession, type PromptBody,
} from '../../../../extension/chat/chatController';
import type { Logger } from '../../../../extension/core/ports';
import { dispatch } from '../../../../webviews/protocol/common';
import { ChatHostToWebview, type ChatWebviewToHost } from '../../../../webviews/protocol/chat';
import { safeUrl } from '../../../../extension/chat/chatLinks';

const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const project = { id: 'p1', name: 'demo', status: 'running' as const };

const ocSession = (id: string, updated: number, title = `t ${id}`): OcSession => ({ id, title, time: { created: updated, updated } });
const ocInfo = (id: string, sessionID: string, role: 'user' | 'assistant', extra: Record<string, unknown> = {}) =>
  ({ id, sessionID, role, time: { created: 1 }, ...extra });
const ocText = (id: string, messageID: string, sessionID: string, text: string) => ({ id, messageID, sessionID, type: 'text', text });

class FakeApi implements ChatApi {
  sessionList: OcSession[] = [];
  transcripts = new Map<string, unknown[]>();
  statusMap: Record<string, unknown> = {};
  calls: string[] = [];
  prompts: Array<{ sessionId: string; body: PromptBody }> = [];
  private n = 0;
  sessions() { this.calls.push('sessions'); return Promise.resolve([...this.sessionList]); }
  createSession() { const s = ocSession(`ses_new${++this.n}`, 100 + this.n); this.sessionList.push(s); this.calls.push(`create ${s.id}`); return Promise.resolve(s); }
  renameSession(id: string, title: string) { this.calls.push(`rename ${id} ${title}`); return Promise.resolve({ ...ocSession(id, 5), title }); }
  deleteSession(id: string) { this.calls.push(`delete ${id}`); this.sessionList = this.sessionList.filter((s) => s.id !== id); return Promise.resolve(); }
  messages(id: string) { this.calls.push(`messages ${id}`); return Promise.resolve(this.transcripts.get(id) ?? []); }
  statuses() { return Promise.resolve(this.statusMap); }
  promptAsync(sessionId: string, body: PromptBody) { this.prompts.push({ sessionId, body }); return Promise.resolve(); }
  abort(id: string) { this.calls.push(`abort ${id}`); return Promise.resolve(); }
  replyPermission(id: string, reply: string) { this.calls.push(`reply ${id} ${reply}`); return Promise.resolve(); }
  permissions() { return Promise.resolve([]); }
  providers() { return Promise.resolve({ providers: [], default: {} }); }
  agents() { return Promise.resolve([]); }
  commands() { return Promise.resolve([]); }
  command() { return Promise.resolve(); }
  sessionDiff() { return Promise.resolve([]); }
  workspaceDiff() { return Promise.resolve([]); }
  fileContent() { return Promise.resolve(undefined); }
}

function setup(api = new FakeApi()) {
  const posted: ChatHostToWebview[] = [];
  const opened: string[] = [];
  const copied: string[] = [];
  let confirm = true;
  const controller = new ChatController(api, {
    post: (m) => {
      // Everything the controller posts must pass the protocol's schema.
      const r = ChatHostToWebview.safeParse(m);
      assert.ok(r.success, `invalid ${m.type}: ${r.success ? '' : r.error.message}`);
      posted.push(m);
    },
    confirmExternal: () => Promise.resolve(confirm),
    openExternal: (u) => { opened.push(u); return Promise.resolve(true); },
    copy: (t) => { copied.push(t); return Promise.resolve(); },
  }, project, log);
  const request = (m: Exclude<ChatWebviewToHost, { type: 'ready' }>) => dispatch(controller.handlers, m);
  return { api, controller, posted, opened, copied, request, setConfirm: (v: boolean) => { confirm = v; } };
}

describe('chat: event translation', () => {
  it('message.part.delta → chat.delta (text only)', () => {
    assert.deepEqual(translateEvent({ type: 'message.part.delta', properties: { sessionID: 's', messageID: 'm', partID: 'p', field: 'text', delta: 'Hel' } }, 's'),
      { kind: 'post', sessionId: 's', message: { type: 'chat.delta', sessionId: 's', messageId: 'm', partId: 'p', field: 'text', delta: 'Hel' } });
    assert.deepEqual(translateEvent({ type: 'message.part.delta', properties: { sessionID: 's', messageID: 'm', partID: 'p', field: 'other', delta: 'x' } }, 's'), { kind: 'ignore' });
  });

  it('message.part.updated → chat.part with ids renamed; a tool part keeps callId', () => {
    const t = translateEvent({ type: 'message.part.updated', properties: { part: { id: 'p', messageID: 'm', sessionID: 's', type: 'tool', tool: 'bash', callID: 'c1', state: { status: 'running', input: { command: 'ls' }, time: { start: 1 } } } } }, 's');
    assert.equal(t.kind, 'post');
    const m = t.kind === 'post' ? t.message : undefined;
    assert.equal(m?.type, 'chat.part');
    if (m?.type !== 'chat.part') return;
    assert.equal(m.part.messageId, 'm');
    assert.equal((m.part as { callId?: string }).callId, 'c1');
    assert.equal('sessionID' in m.part, false);
    assert.equal('callID' in m.part, false);
  });

  it('message.updated → chat.message with the normalised info (error flattened)', () => {
    const t = translateEvent({ type: 'message.updated', properties: { info: ocInfo('m', 's', 'assistant', { providerID: 'fake', modelID: 'x', error: { name: 'MessageAbortedError', data: { message: 'aborted' } } }) } }, 's');
    assert.deepEqual(t, { kind: 'post', sessionId: 's', message: { type: 'chat.message', info: {
      id: 'm', sessionId: 's', role: 'assistant', time: { created: 1 }, providerId: 'fake', modelId: 'x', error: { name: 'MessageAbortedError', message: 'aborted' },
    } } });
  });

  it('status, permissions and errors', () => {
    assert.deepEqual(translateEvent({ type: 'session.status', properties: { sessionID: 's', status: { type: 'retry', attempt: 2, next: 99, message: 'rate' } } }, 's'),
      { kind: 'post', sessionId: 's', message: { type: 'chat.status', sessionId: 's', status: { type: 'retry', attempt: 2, next: 99, message: 'rate' } } });
    const asked = translateEvent({ type: 'permission.asked', properties: { id: 'per_1', sessionID: 's', permission: 'bash', patterns: ['ls'], metadata: {}, always: ['ls *'], tool: { messageID: 'm', callID: 'c' } } }, 's');
    assert.deepEqual(asked.kind === 'post' && asked.message, { type: 'chat.permission', request: { id: 'per_1', sessionId: 's', permission: 'bash', patterns: ['ls'], metadata: {}, always: ['ls *'], tool: { messageId: 'm', callId: 'c' } } });
    assert.deepEqual(translateEvent({ type: 'permission.replied', properties: { sessionID: 's', requestID: 'per_1', reply: 'once' } }, 's'),
      { kind: 'post', sessionId: 's', message: { type: 'chat.permissionReplied', sessionId: 's', requestId: 'per_1', reply: 'once' } });
    assert.deepEqual(translateEvent({ type: 'session.error', properties: { error: { name: 'APIError', data: { message: 'boom' } } } }, 'active'),
      { kind: 'post', sessionId: 'active', message: { type: 'chat.error', sessionId: 'active', error: { name: 'APIError', message: 'boom' } } });
  });

  it('resync, sessions, and junk', () => {
    assert.deepEqual(translateEvent({ type: 'resync', properties: { reason: 'too_old' } }, 's'), { kind: 'resync' });
    assert.equal(translateEvent({ type: 'session.updated', properties: { info: ocSession('s', 3) } }, 's').kind, 'sessions');
    assert.deepEqual(translateEvent({ type: 'message.part.updated', properties: { part: { id: 'p' } } }, 's'), { kind: 'ignore' });
    assert.deepEqual(translateEvent({ type: 'server.heartbeat', properties: {} }, 's'), { kind: 'ignore' });
    assert.deepEqual(translateEvent({ type: 'message.updated', properties: null }, 's'), { kind: 'ignore' });
  });

  it('a transcript message maps info and parts, dropping parts that do not fit', () => {
    const m = messageView({ info: ocInfo('m', 's', 'user'), parts: [ocText('p1', 'm', 's', 'hi'), { id: 'p2', messageID: 'm', sessionID: 's', type: 'text' }, { id: 'p3', messageID: 'm', sessionID: 's', type: 'step-start' }] });
    assert.deepEqual(m?.parts.map((p) => p.id), ['p1', 'p3']);
    assert.equal(m?.info.sessionId, 's');
  });
});

describe('chat: controller', () => {
  it('on ready with no session opens a new conversation and creates none; the first send creates it', async () => {
    const { posted, api, controller, request } = setup();
    await controller.onReady();
    assert.deepEqual(api.calls, ['sessions']);
    assert.deepEqual(posted.map((m) => m.type), ['chat.init', 'chat.queue', 'chat.starting']);
    const init = posted[0];
    assert.ok(init?.type === 'chat.init');
    assert.deepEqual([init.sessions, init.activeSessionId], [[], null]);
    posted.length = 0;
    await request({ type: 'chat.send', requestId: 'r1', sessionId: null, text: 'first words', mentions: [] });
    assert.deepEqual(api.calls.slice(1, 3), ['create ses_new1', 'messages ses_new1']);
    assert.deepEqual(api.prompts.map((p) => p.sessionId), ['ses_new1']);
    assert.equal(controller.activeSession, 'ses_new1');
    const tr = posted.find((m) => m.type === 'chat.transcript');
    assert.ok(tr?.type === 'chat.transcript' && tr.replace && tr.sessionId === 'ses_new1');
  });

  it('"+ New" opens a new conversation without creating a session; its first send creates one', async () => {
    const api = new FakeApi();
    api.sessionList = [ocSession('s1', 1)];
    const { posted, controller, request } = setup(api);
    await controller.onReady();
    posted.length = 0;
    await request({ type: 'chat.newSession', requestId: 'r1' });
    assert.ok(!api.calls.some((c) => c.startsWith('create')), api.calls.join(','));
    assert.equal(controller.activeSession, null);
    assert.deepEqual(posted, [{ type: 'chat.sessions', sessions: [{ id: 's1', title: 't s1', updated: 1 }], activeSessionId: null }]);
    await request({ type: 'chat.send', requestId: 'r2', sessionId: null, text: 'another topic', mentions: [] });
    assert.deepEqual(api.prompts.map((p) => p.sessionId), ['ses_new1']);
    assert.equal(controller.activeSession, 'ses_new1');
  });

  it('opens the most recent session and posts only the active session\'s events', async () => {
    const api = new FakeApi();
    api.sessionList = [ocSession('ses_old', 1), ocSession('ses_new', 9)];
    api.transcripts.set('ses_new', [{ info: ocInfo('m1', 'ses_new', 'user'), parts: [ocText('p1', 'm1', 'ses_new', 'hello')] }]);
    api.statusMap = { ses_new: { type: 'busy' } };
    const { posted, controller } = setup(api);
    await controller.onReady();
    assert.equal(controller.activeSession, 'ses_new');
    const tr = posted.find((m) => m.type === 'chat.transcript');
    assert.equal(tr?.type === 'chat.transcript' && tr.messages[0]?.parts[0]?.id, 'p1');
    assert.deepEqual(posted.at(-1), { type: 'chat.status', sessionId: 'ses_new', status: { type: 'busy' } });
    posted.length = 0;
    controller.onEvent({ type: 'message.part.delta', properties: { sessionID: 'ses_old', messageID: 'm', partID: 'p', field: 'text', delta: 'x' } });
    controller.onEvent({ type: 'message.part.delta', properties: { sessionID: 'ses_new', messageID: 'm', partID: 'p', field: 'text', delta: 'y' } });
    assert.deepEqual(posted.map((m) => m.type === 'chat.delta' && m.delta), ['y']);
  });

  it('a resync re-reads the transcript over REST and replaces it', async () => {
    const api = new FakeApi();
    api.sessionList = [ocSession('s1', 1)];
    const { posted, controller } = setup(api);
    await controller.onReady();
    api.transcripts.set('s1', [{ info: ocInfo('m1', 's1', 'assistant'), parts: [ocText('p1', 'm1', 's1', 'full text')] }]);
    posted.length = 0;
    controller.onEvent({ type: 'resync', properties: { reason: 'too_old' } });
    await controller.resync();
    const tr = posted.find((m) => m.type === 'chat.transcript');
    assert.ok(tr?.type === 'chat.transcript' && tr.replace);
    assert.deepEqual(tr.messages[0]?.parts[0], { id: 'p1', messageId: 'm1', type: 'text', text: 'full text' });
  });

  it('handles the webview\'s requests', async () => {
    const api = new FakeApi();
    api.sessionList = [ocSession('s1', 1)];
    const { posted, controller, request, opened, copied, setConfirm } = setup(api);
    await controller.onReady();

    await request({ type: 'chat.send', requestId: 'r1', sessionId: 's1', text: 'hi', mentions: [], model: { providerId: 'fake', modelId: 'm' }, agent: 'build' });
    // The message id is fixed when the prompt is written (issue #14): opencode's format.
    assert.match(api.prompts[0]?.body.messageID ?? '', /^msg_[0-9a-f]{12}[A-Za-z0-9]{14}$/);
    assert.deepEqual(api.prompts, [{ sessionId: 's1', body: {
      parts: [{ type: 'text', text: 'hi' }], model: { providerID: 'fake', modelID: 'm' }, agent: 'build', messageID: api.prompts[0]?.body.messageID,
    } }]);

    await request({ type: 'chat.send', requestId: 'r2', sessionId: null, text: 'new', mentions: [] });
    assert.equal(api.prompts[1]?.sessionId, 'ses_new1');
    assert.equal(controller.activeSession, 'ses_new1');

    await request({ type: 'chat.abort', requestId: 'r3', sessionId: 's1' });
    await request({ type: 'chat.permissionReply', requestId: 'r4', sessionId: 's1', permissionId: 'per_1', reply: 'always' });
    await request({ type: 'chat.renameSession', requestId: 'r5', sessionId: 's1', title: 'Renamed' });
    await request({ type: 'chat.switchSession', requestId: 'r6', sessionId: 's1' });
    assert.equal(controller.activeSession, 's1');
    await request({ type: 'chat.deleteSession', requestId: 'r7', sessionId: 's1' });
    assert.equal(controller.activeSession, 'ses_new1');
    assert.ok(api.calls.includes('abort s1') && api.calls.includes('reply per_1 always') && api.calls.includes('rename s1 Renamed') && api.calls.includes('delete s1'));
    const sessions = posted.filter((m) => m.type === 'chat.sessions').at(-1);
    assert.deepEqual(sessions?.type === 'chat.sessions' && sessions.sessions.map((s) => s.id), ['ses_new1']);

    await assert.rejects(() => Promise.resolve(request({ type: 'chat.switchSession', requestId: 'r8', sessionId: 'nope' })) as Promise<unknown>, /No such session/);

    await request({ type: 'chat.openLink', url: 'https://example.com/x' });
    setConfirm(false);
    await request({ type: 'chat.openLink', url: 'https://example.com/no' });
    await assert.rejects(() => Promise.resolve(request({ type: 'chat.openLink', url: 'javascript:alert(1)' })) as Promise<unknown>, /Only http/);
    assert.deepEqual(opened, ['https://example.com/x']);
    await request({ type: 'chat.copy', text: 'code' });
    assert.deepEqual(copied, ['code']);
  });

  it('never posts the whole history per streamed update', async () => {
    const api = new FakeApi();
    api.sessionList = [ocSession('s1', 1)];
    api.transcripts.set('s1', Array.from({ length: 500 }, (_, i) => ({ info: ocInfo(`m${i}`, 's1', 'user'), parts: [ocText(`p${i}`, `m${i}`, 's1', 'x'.repeat(100))] })));
    const { posted, controller } = setup(api);
    await controller.onReady();
    posted.length = 0;
    for (let i = 0; i < 50; i++) controller.onEvent({ type: 'message.part.delta', properties: { sessionID: 's1', messageID: 'a', partID: 'b', field: 'text', delta: 'tok ' } });
    const sizes = posted.map((m) => JSON.stringify(m).length);
    assert.equal(sizes.length, 50);
    assert.ok(Math.max(...sizes) < 200, `a delta is ${Math.max(...sizes)} bytes`);
  });

  it('a failing load still posts an init', async () => {
    const api = new FakeApi();
    api.sessions = () => Promise.reject(new Error('project_not_running'));
    const { posted, controller } = setup(api);
    await controller.onReady();
    assert.deepEqual(posted.map((m) => m.type), ['chat.init', 'chat.queue', 'chat.starting']);
  });
});

describe('chat: the agent-proxy API', () => {
  it('calls the proxy paths', async () => {
    const calls: string[] = [];
    const client = { agent: <T>(projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown) => {
      calls.push(`${projectId} ${method} ${path} ${JSON.stringify(body) ?? ''}`);
      const answer = path === '/session' && method === 'GET' ? [ocSession('s', 1), { junk: true }] : path === '/session' ? ocSession('s', 1) : path.endsWith('/message') ? [] : {};
      return Promise.resolve(schema.parse(answer));
    } };
    const api = chatApi(client, 'p1');
    assert.deepEqual((await api.sessions()).map((s) => s.id), ['s']);
    await api.promptAsync('ses_1', { parts: [{ type: 'text', text: 'x' }] });
    await api.replyPermission('per_1', 'once');
    await api.abort('ses_1');
    assert.deepEqual(calls, [
      'p1 GET /session ',
      'p1 POST /session/ses_1/prompt_async {"parts":[{"type":"text","text":"x"}]}',
      'p1 POST /permission/per_1/reply {"reply":"once"}',
      'p1 POST /session/ses_1/abort {}',
    ]);
  });

  it('safeUrl allows http(s) and mailto only', () => {
    assert.equal(safeUrl('https://a.b/c'), 'https://a.b/c');
    assert.equal(safeUrl('javascript:alert(1)'), undefined);
    assert.equal(safeUrl('command:workbench.action.quit'), undefined);
    assert.equal(safeUrl('not a url'), undefined);
  });
});
