// The chat controller with the mention port: what reaches opencode's prompt_async, and the picker's answers.
import assert from 'node:assert/strict';
import { chatApi, ChatController } from '../../../../../extension/chat/chatController';
import { chatMentions } from '../../../../../extension/chat/mentions/chatMentions';
import { FileIndex } from '../../../../../extension/chat/mentions/fileIndex';
import type { Logger } from '../../../../../extension/core/ports';
import { dispatch } from '../../../../../webviews/protocol/common';
import { ChatHostToWebview, type ChatWebviewToHost } from '../../../../../webviews/protocol/chat';

type Request = Exclude<ChatWebviewToHost, { type: 'ready' }>;

const log: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** ApiClient.agent over a tiny in-memory opencode. */
function fakeAgent() {
  const calls: Array<{ method: string; path: string; body?: unknown }> = [];
  const session = { id: 'ses_1', title: 't', directory: '/srv/ws', time: { created: 1, updated: 1 } };
  const answer = (method: string, path: string): unknown => {
    if (method === 'GET' && path === '/session') return [session];
    if (method === 'GET' && path === '/session/ses_1') return session;
    if (path.startsWith('/find/file')) return ['src/app.ts', 'server/main.go'];
    if (path === '/session/status') return {};
    const bare = path.split('?')[0]!;
    if (method === 'GET' && (bare.endsWith('/message') || bare === '/permission' || bare === '/agent' || bare.endsWith('/diff'))) return [];
    return {};
  };
  return {
    calls,
    client: {
      agent<T>(_projectId: string, method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> {
        calls.push({ method, path, ...(body !== undefined ? { body } : {}) });
        return Promise.resolve(schema.parse(answer(method, path)));
      },
    },
  };
}

describe('mentions: through the chat controller', () => {
  it('a sent prompt carries one opencode part per mention after the text', async () => {
    const { calls, client } = fakeAgent();
    const index = new FileIndex(['src/app.ts']);
    const workspace = {
      warm: () => undefined, ready: () => Promise.resolve(), query: (q: string, n: number) => index.query(q, n), has: (p: string) => index.has(p),
      read: () => Promise.resolve(new Uint8Array(Buffer.from('export const x = 1;\n'))), remotes: () => Promise.resolve([]),
    };
    const mentions = chatMentions(workspace, client, 'p1', () => null, log);
    const posted: ChatHostToWebview[] = [];
    const controller = new ChatController(chatApi(client, 'p1'), {
      ...mentions.port,
      post: (m) => { assert.ok(ChatHostToWebview.safeParse(m).success, m.type); posted.push(m); },
      confirmExternal: () => Promise.resolve(false), openExternal: () => Promise.resolve(false), copy: () => Promise.resolve(),
    }, { id: 'p1', name: 'demo', status: 'running' }, log);
    await controller.onReady();
    await dispatch(controller.handlers, <Request>{
      type: 'chat.send', requestId: 'r1', sessionId: 'ses_1', text: 'explain @src/app.ts#L1-1 and @server/main.go',
      mentions: [{ path: 'src/app.ts', range: { start: 1, end: 1 } }, { path: 'server/main.go' }],
    });
    const prompt = calls.find((c) => c.path === '/session/ses_1/prompt_async');
    assert.ok(prompt, 'prompt_async was called');
    const parts = (prompt.body as { parts: Array<Record<string, string>> }).parts;
    assert.deepEqual(parts.map((p) => p.type), ['text', 'file', 'file']);
    assert.equal(parts[0]!.text, 'explain @src/app.ts#L1-1 and @server/main.go');
    assert.equal(parts[1]!.filename, 'src/app.ts#L1');
    assert.equal(Buffer.from(parts[1]!.url!.split(',')[1]!, 'base64').toString(), 'export const x = 1;', 'no common repository: inline');
    assert.equal(parts[2]!.url, 'file:///srv/ws/server/main.go', 'container-only: by path in the session\'s folder');
    controller.dispose();
    mentions.dispose();
  });

  it('answers a picker query with chat.mentionResults for that seq', async () => {
    const { client } = fakeAgent();
    const index = new FileIndex(['src/app.ts', 'README.md']);
    const workspace = {
      warm: () => undefined, ready: () => Promise.resolve(), query: (q: string, n: number) => index.query(q, n), has: (p: string) => index.has(p),
      read: () => Promise.reject(new Error('unused')), remotes: () => Promise.resolve([]),
    };
    const mentions = chatMentions(workspace, client, 'p1', () => null, log);
    const posted: ChatHostToWebview[] = [];
    const controller = new ChatController(chatApi(client, 'p1'), {
      ...mentions.port, post: (m) => posted.push(m),
      confirmExternal: () => Promise.resolve(false), openExternal: () => Promise.resolve(false), copy: () => Promise.resolve(),
    }, { id: 'p1', name: 'demo', status: 'running' }, log);
    await dispatch(controller.handlers, <Request>{ type: 'chat.mentionQuery', seq: 7, query: 'app' });
    assert.deepEqual(posted.filter((m) => m.type === 'chat.mentionResults'), [
      { type: 'chat.mentionResults', seq: 7, items: [{ path: 'src/app.ts', source: 'workspace', kind: 'file' }] },
    ]);
    // The container's answer (debounced) follows: wait for it, however busy the machine is.
    for (let i = 0; i < 200 && posted.filter((m) => m.type === 'chat.mentionResults').length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    const last = posted.filter((m) => m.type === 'chat.mentionResults').at(-1);
    // opencode's own fuzzy matcher found server/main.go too: kept, after every match of ours.
    assert.deepEqual(last, { type: 'chat.mentionResults', seq: 7, items: [
      { path: 'src/app.ts', source: 'both', kind: 'file' }, { path: 'server/main.go', source: 'container', kind: 'file' },
    ] });
    controller.dispose();
    mentions.dispose();
  });
});
