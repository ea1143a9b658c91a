import assert from 'node:assert/strict';
import { verifyWebhook } from '../../../../backend/activity/signature';

import { HangarWebhook, type HangarWebhookDeps } from '../../../../media/opencode-plugin/hangar-webhook.js';

// The plugin is plain ESM JS shipped in media/ (loaded by opencode itself); fakes stand in for fetch.
type FakeFetch = (url: string, init: { headers: Record<string, string>; body: string }) => Promise<Response>;
const load = async () => (input: unknown, deps: Omit<HangarWebhookDeps, 'fetch'> & { fetch?: FakeFetch }) => HangarWebhook(input, deps as HangarWebhookDeps);

const env = { HANGAR_WEBHOOK_URL: 'http://api.test/api/webhooks/opencode', HANGAR_WEBHOOK_SECRET: 'sekret', HANGAR_PROJECT_ID: 'p1' };
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('opencode plugin (media/opencode-plugin/hangar-webhook.js)', () => {
  it('exports only plugin functions (opencode calls every export)', async () => {
    const mod = await import('../../../../media/opencode-plugin/hangar-webhook.js') as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(mod).filter((k) => k !== 'default'), ['HangarWebhook']);
  });

  it('posts forwarded events signed, with the project, the parent and the excerpt; ignores the rest', async () => {
    const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fetch = async (url: string, init: { headers: Record<string, string>; body: string }) => {
      calls.push({ url, headers: init.headers, body: init.body });
      return new Response('{}', { status: 200 });
    };
    const plugin = await (await load())({}, { env, fetch, log: () => {} });
    await plugin.event!({ event: { type: 'session.created', properties: { info: { id: 's2', parentID: 's1', title: 't' } } } });
    await plugin.event!({ event: { type: 'message.updated', properties: { info: { id: 'm1', role: 'assistant', sessionID: 's2' } } } });
    await plugin.event!({ event: { type: 'message.part.updated', properties: { part: { type: 'text', sessionID: 's2', messageID: 'm1', text: 'Done it.' } } } });
    await plugin.event!({ event: { type: 'message.part.delta', properties: {} } });
    await plugin.event!({ event: { type: 'session.status', properties: { sessionID: 's2', status: { type: 'idle' } } } });
    await settle();
    assert.equal(calls.length, 2);
    const last = calls[1]!;
    assert.equal(last.url, env.HANGAR_WEBHOOK_URL);
    const body = JSON.parse(last.body) as { projectId: string; event: { type: string }; meta: Record<string, string>; sentAt: string };
    assert.deepEqual([body.projectId, body.event.type, body.meta], ['p1', 'session.status', { parentID: 's1', excerpt: 'Done it.' }]);
    assert.deepEqual(verifyWebhook('sekret', last.headers['X-Hangar-Timestamp'], last.headers['X-Hangar-Signature'], last.body, Date.now()), { ok: true });
  });

  it('reports the agent\'s own git push once, when its bash call has ended, with the exit code', async () => {
    const bodies: { event: { type: string; properties: Record<string, unknown> } }[] = [];
    const fetch = async (_url: string, init: { body: string }) => {
      bodies.push(JSON.parse(init.body) as (typeof bodies)[number]);
      return new Response('{}', { status: 200 });
    };
    const plugin = await (await load())({}, { env, fetch, log: () => {} });
    const part = (status: string, command: string, exit?: number) => ({ event: { type: 'message.part.updated', properties: {
      part: { type: 'tool', tool: 'bash', callID: `c-${command}`, sessionID: 's1', state: {
        status, input: { command }, ...(exit === undefined ? {} : { metadata: { exit } }) } },
    } } });
    await plugin.event!(part('running', 'git push origin main'));
    await plugin.event!(part('completed', 'git push origin main', 0));
    await plugin.event!(part('completed', 'git push origin main', 0));
    await plugin.event!(part('completed', 'git -C sub push', 1));
    await plugin.event!(part('completed', 'git status && echo push', 0));
    await plugin.event!(part('completed', 'gitpush', 0));
    await settle();
    assert.deepEqual(bodies.map((b) => b.event), [
      { type: 'hangar.git.push', properties: { sessionID: 's1', command: 'git push origin main', exit: 0, ok: true } },
      { type: 'hangar.git.push', properties: { sessionID: 's1', command: 'git -C sub push', exit: 1, ok: false } },
    ]);
  });

  it('a warm-pool agent sends nothing before its claim, then to the project in $HANGAR_BINDING_FILE', async () => {
    const calls: { url: string; body: string }[] = [];
    const fetch = async (url: string, init: { body: string }) => { calls.push({ url, body: init.body }); return new Response('{}', { status: 200 }); };
    const disk: { file?: string } = {};
    const readFile = (f: string) => { assert.equal(f, '/cfg/hangar-binding.json'); if (!disk.file) throw new Error('ENOENT'); return disk.file; };
    const plugin = await (await load())({}, { env: { HANGAR_BINDING_FILE: '/cfg/hangar-binding.json', HANGAR_PROJECT_ID: 'warm-1' }, fetch, readFile, log: () => {} });
    await plugin.event!({ event: { type: 'session.idle', properties: { sessionID: 's0' } } });
    await settle();
    assert.equal(calls.length, 0, 'unclaimed: no project to post to');
    disk.file = JSON.stringify({ url: 'http://api.test/hook', secret: 'bound', projectId: 'p9' });
    await plugin.event!({ event: { type: 'session.idle', properties: { sessionID: 's1' } } });
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.url, 'http://api.test/hook');
    assert.equal((JSON.parse(calls[0]!.body) as { projectId: string }).projectId, 'p9', 'the claimed project, not the pool slot');
  });

  it('never throws or blocks when the API is down: retries with backoff, then drops with a log line', async () => {
    let attempts = 0;
    const logs: string[] = [];
    const fetch = async () => { attempts++; throw new Error('ECONNREFUSED'); };
    const plugin = await (await load())({}, { env, fetch, log: (m: string) => logs.push(m), retryDelaysMs: [5, 10] });
    const started = performance.now();
    await plugin.event!({ event: { type: 'session.idle', properties: { sessionID: 's1' } } });
    assert.ok(performance.now() - started < 20, 'the hook returns at once');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(attempts, 3);
    assert.match(logs.join('\n'), /unreachable after 3 attempts \(ECONNREFUSED\); event dropped/);
  });

  it('does not retry a 4xx, and bounds its queue by dropping the oldest', async () => {
    const logs: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    const bodies: string[] = [];
    const fetch = async (_u: string, init: { body: string }) => { await gate; bodies.push(init.body); return new Response('', { status: 401 }); };
    const plugin = await (await load())({}, { env, fetch, log: (m: string) => logs.push(m), maxQueue: 2 });
    for (let i = 0; i < 5; i++) await plugin.event!({ event: { type: 'session.status', properties: { sessionID: `s${i}`, status: { type: 'busy' } } } });
    release();
    await settle();
    // s0 was in flight; s1 and s2 were dropped; s3 and s4 were sent; each 401 logged once, not retried.
    assert.deepEqual(bodies.map((b) => (JSON.parse(b) as { event: { properties: { sessionID: string } } }).event.properties.sessionID), ['s0', 's3', 's4']);
    assert.equal(logs.filter((l) => l.includes('dropped the oldest')).length, 2);
    assert.equal(logs.filter((l) => l.includes('rejected with 401')).length, 3);
  });

  it('does nothing without its environment, saying why', async () => {
    const logs: string[] = [];
    const plugin = await (await load())({}, { env: {}, log: (m: string) => logs.push(m) });
    assert.deepEqual(plugin, {});
    assert.match(logs[0]!, /not forwarding/);
  });
});
