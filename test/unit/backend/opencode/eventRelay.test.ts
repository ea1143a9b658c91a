import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentEvent } from '../../../../backend/contract';
import { notFound } from '../../../../backend/errors';
import { silentLogger } from '../../../../backend/logger';
import { AgentEventRelays, type RelayOptions } from '../../../../backend/opencode/eventRelay';

/** A stand-in for opencode's GET /event: `data:` frames only, one response per connection. */
async function fakeAgent() {
  const streams = new Set<http.ServerResponse>();
  const auth: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    auth.push(req.headers.authorization);
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ type: 'server.connected', properties: {} })}\n\n`);
    streams.add(res);
    res.on('close', () => streams.delete(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    auth,
    streams,
    emit(type: string, properties: unknown = {}) {
      for (const s of streams) s.write(`data: ${JSON.stringify({ type, properties })}\n\n`);
    },
    /** Writes the text one byte per write: frames, lines and UTF-8 characters split anywhere. */
    emitBytes(text: string) {
      for (const s of streams) for (const b of new TextEncoder().encode(text)) s.write(Uint8Array.of(b));
    },
    dropAll() {
      for (const s of streams) s.destroy();
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const until = async (what: string, fn: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function collector() {
  const events: AgentEvent[] = [];
  const state = { ended: false };
  return { events, state, send: (e: AgentEvent) => { events.push(e); }, end: () => { state.ended = true; }, types: () => events.map((e) => e.type) };
}

describe('AgentEventRelays', () => {
  let agent: Awaited<ReturnType<typeof fakeAgent>>;
  let relays: AgentEventRelays;
  const options = (over: Partial<RelayOptions> = {}): RelayOptions => ({
    bufferSize: 5, bufferBytes: 1 << 20, graceMs: 50, connectTimeoutMs: 1000, stallMs: 5000, backoff: { initialMs: 20, maxMs: 100 }, notRunningPollMs: 20,
    target: async (projectId) => ({ projectId, baseUrl: agent.url, password: 'pw' }), log: silentLogger, ...over,
  });

  beforeEach(async () => {
    agent = await fakeAgent();
    relays = new AgentEventRelays(options());
  });
  afterEach(async () => {
    relays.close();
    await agent.close();
  });

  it('shares one upstream between clients, with the same ids, dropping opencode heartbeats', async () => {
    const a = collector();
    const b = collector();
    const relay = relays.get('p1');
    relay.attach(a);
    relay.attach(b);
    await until('ready on both', () => a.types().includes('ready') && b.types().includes('ready'));
    agent.emit('server.heartbeat');
    agent.emit('session.created', { info: { id: 'ses_1' } });
    agent.emit('session.updated', { info: { id: 'ses_1' } });
    await until('two events', () => a.events.length === 3 && b.events.length === 3);
    assert.deepEqual(a.types(), ['ready', 'session.created', 'session.updated']);
    assert.deepEqual(a.events.slice(1), b.events.slice(1));
    assert.equal(a.events[2]!.id, a.events[1]!.id + 1);
    assert.deepEqual(a.events[1]!.properties, { info: { id: 'ses_1' } });
    assert.equal(agent.streams.size, 1);
    assert.equal(relays.stats('p1')?.connects, 1);
    assert.equal(agent.auth[0], 'Basic ' + Buffer.from('opencode:pw').toString('base64'));
  });

  it('reads frames split at every byte, with CR, CRLF and multi-line data, ignoring comments and event names', async () => {
    const a = collector();
    relays.get('p1').attach(a);
    await until('ready', () => a.types().includes('ready'));
    agent.emitBytes(': hi\r\n\r\nevent: x\r\ndata: {"type":"session.updated",\r\ndata: "properties":{"title":"héllo ✓"}}\r\n\r\n'
      + 'id: 3\rdata: {"type":"session.idle","properties":{}}\r\r');
    await until('two events', () => a.events.length === 3);
    assert.deepEqual(a.types(), ['ready', 'session.updated', 'session.idle']);
    assert.deepEqual(a.events[1]!.properties, { title: 'héllo ✓' });
  });

  it('replays after Last-Event-ID, and resyncs when the id is too old, unknown or from before a restart', async () => {
    const a = collector();
    const relay = relays.get('p1');
    relay.attach(a);
    await until('ready', () => a.types().includes('ready'));
    for (let i = 0; i < 8; i++) agent.emit('message.part.delta', { delta: String(i) });
    await until('8 deltas', () => a.events.length === 9);
    const ids = a.events.slice(1).map((e) => e.id);
    const b = collector();
    relay.attach(b, String(ids[5]));
    assert.deepEqual(b.events.slice(0, 2).map((e) => e.id), ids.slice(6));
    const c = collector();
    relay.attach(c, String(ids[0]));
    assert.deepEqual([c.events[0]!.type, (c.events[0]!.properties as { reason: string }).reason], ['resync', 'too_old']);
    for (const [raw, reason] of [['1', 'api_restarted'], [String(ids[7]! + 1000), 'unknown_id'], ['abc', 'unknown_id']] as const) {
      const d = collector();
      relay.attach(d, raw);
      assert.equal((d.events[0]!.properties as { reason: string }).reason, reason, raw);
    }
  });

  it('reconnects with backoff after the agent drops the stream and puts a resync at the gap', async () => {
    const a = collector();
    const relay = relays.get('p1');
    relay.attach(a);
    await until('ready', () => a.types().includes('ready'));
    agent.emit('session.updated', {});
    await until('event', () => a.events.length === 2);
    const before = a.events[1]!.id;
    agent.dropAll();
    await until('second ready', () => a.types().filter((t) => t === 'ready').length === 2);
    assert.deepEqual(a.types(), ['ready', 'session.updated', 'resync', 'ready']);
    assert.equal((a.events[2]!.properties as { reason: string }).reason, 'agent_stream_gap');
    assert.equal(relays.stats('p1')?.connects, 2);
    // A client that saw only `before` gets the gap marker in its replay.
    const late = collector();
    relay.attach(late, String(before));
    assert.equal(late.events[0]!.type, 'resync');
  });

  it('closes the upstream after the last client leaves and the grace period passes', async () => {
    const a = collector();
    const detach = relays.get('p1').attach(a);
    await until('ready', () => a.types().includes('ready'));
    detach();
    await until('upstream closed', () => agent.streams.size === 0 && relays.stats('p1')?.upstreamOpen === false);
  });

  it('keeps the upstream when a client comes back within the grace period', async () => {
    relays = new AgentEventRelays(options({ graceMs: 300 }));
    const detach = relays.get('p1').attach(collector());
    await until('connected', () => relays.stats('p1')?.upstreamOpen === true);
    detach();
    const b = collector();
    relays.get('p1').attach(b);
    assert.deepEqual(b.types(), ['ready']);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(relays.stats('p1')?.connects, 1);
    assert.equal(agent.streams.size, 1);
  });

  it('treats a silent stream as dead and a connect that hangs (opencode before "listening") as failed', async () => {
    relays = new AgentEventRelays(options({ stallMs: 150 }));
    const a = collector();
    relays.get('p1').attach(a);
    await until('a reconnect after the silence', () => a.types().filter((t) => t === 'ready').length === 2);
    assert.deepEqual(a.types().slice(0, 3), ['ready', 'resync', 'ready']);
    relays.close();

    const hanging = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    let attempts = 0;
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    relays = new AgentEventRelays(options({ connectTimeoutMs: 100, target: async (projectId) => { attempts++; return { projectId, baseUrl: url, password: 'pw' }; } }));
    relays.get('p2').attach(collector());
    try {
      await until('a second attempt', () => attempts >= 2);
      assert.match(relays.stats('p2')?.lastError ?? '', /no answer within 100 ms/);
    } finally {
      relays.close();
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('ends its clients when the project no longer exists', async () => {
    relays = new AgentEventRelays(options({ target: async () => { throw notFound('Project'); } }));
    const a = collector();
    relays.get('p1').attach(a);
    await until('ended', () => a.state.ended);
    assert.equal(relays.stats('p1')?.clients, 0);
  });

  it('keeps retrying while the agent cannot be reached, without sending anything to clients', async () => {
    let calls = 0;
    relays = new AgentEventRelays(options({ target: async () => { calls++; throw new Error('project is stopped'); } }));
    const a = collector();
    relays.get('p1').attach(a);
    await until('three attempts', () => calls >= 3);
    assert.deepEqual(a.events, []);
    assert.match(relays.stats('p1')?.lastError ?? '', /stopped/);
  });

  it('writes "agent event stream interrupted" once for a failure that repeats every poll, not once per poll', async () => {
    let calls = 0;
    const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
    const log = {
      debug: () => undefined, error: () => undefined,
      info: (msg: string, fields?: Record<string, unknown>) => { lines.push({ level: 'info', msg, ...(fields ? { fields } : {}) }); },
      warn: (msg: string, fields?: Record<string, unknown>) => { lines.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }); },
    };
    relays = new AgentEventRelays(options({ log, backoff: { initialMs: 5, maxMs: 5 }, target: async () => { calls++; throw new Error('the agent is unreachable'); } }));
    relays.get('p1').attach(collector());
    await until('ten attempts', () => calls >= 10);
    assert.deepEqual(lines.map((l) => [l.level, l.msg, l.fields?.error]), [['warn', 'agent event stream interrupted', 'the agent is unreachable']]);
  });
});
