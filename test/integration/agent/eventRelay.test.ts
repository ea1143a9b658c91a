import assert from 'node:assert/strict';
import type { Operation, OperationList } from '../../../backend/contract';
import { startAgentWorld, tapEvents, until, type AgentWorld, type EventTap } from './support';

const REPLY = 'Streaming through the relay, five characters at a time, in order.';

describe('API: the agent event relay (real opencode, fake LLM)', function () {
  this.timeout(90_000);
  let w: AgentWorld;
  const taps: EventTap[] = [];
  const tap = async (lastEventId?: string) => {
    const t = await tapEvents(w.api.url + w.base + '/event', w.api.adminToken, lastEventId);
    taps.push(t);
    return t;
  };
  const stats = () => w.api.server.services.agent.relays.stats(w.project.id);
  const agentEvents = (t: EventTap) => t.events().filter((e) => e.type !== 'ready');
  let sessionId: string;
  let firstDeltaId: number;

  before(async () => {
    w = await startAgentWorld({ HANGAR_AGENT_EVENT_BUFFER: '10', HANGAR_AGENT_GRACE_MS: '200' });
  });
  after(async () => {
    for (const t of taps) await t.close();
    await w?.close();
  });

  it('gives two clients the same ids for the same events over one upstream connection, with heartbeats', async () => {
    const a = await tap();
    const b = await tap();
    assert.equal(a.status, 200);
    await a.waitFor((f) => f.event === 'ready');
    await b.waitFor((f) => f.event === 'ready');
    assert.deepEqual([stats()?.connects, stats()?.clients, stats()?.upstreamOpen], [1, 2, true]);
    const created = await w.alice.post<{ id: string }>(`${w.base}/session`, { title: 'relay' });
    sessionId = created.body.id;
    for (const t of [a, b]) await t.waitFor((f) => f.event === 'session.created');
    await new Promise((r) => setTimeout(r, 200));
    const seen = (t: EventTap) => agentEvents(t).map((e) => [e.id, e.type]);
    assert.deepEqual(seen(a), seen(b));
    const createdEvent = agentEvents(a).find((e) => e.type === 'session.created')!;
    assert.deepEqual([createdEvent.data.id, createdEvent.data.type], [createdEvent.id, 'session.created']);
    assert.equal((createdEvent.data.properties.info as { id: string }).id, sessionId);
    await a.waitFor((f) => f.comment === 'ping', 2000);
    assert.ok(!a.events().some((e) => e.type.startsWith('server.')), 'opencode connection frames are not relayed');
  });

  it('relays a prompt_async turn: message.part.delta events arrive in order with increasing ids', async () => {
    const [a, b] = taps as [EventTap, EventTap];
    w.llm.enqueue({ text: REPLY, chunkSize: 5, delayMs: 15 });
    const sent = await w.alice.post(`${w.base}/session/${sessionId}/prompt_async`, { parts: [{ type: 'text', text: 'Say something.' }] });
    assert.equal(sent.status, 204);
    const idle = (f: { event?: string; data?: string }) => f.event === 'session.idle' && f.data!.includes(sessionId);
    await a.waitFor(idle, 30_000);
    await b.waitFor(idle, 5000);
    const deltas = agentEvents(a).filter((e) => e.type === 'message.part.delta');
    assert.ok(deltas.length >= REPLY.length / 5 - 1, `only ${deltas.length} deltas`);
    const ids = deltas.map((d) => d.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    assert.equal(new Set(ids).size, ids.length);
    const text = deltas.filter((d) => d.data.properties.field === 'text').map((d) => d.data.properties.delta as string).join('');
    assert.ok(text.endsWith(REPLY), text);
    assert.deepEqual(agentEvents(b).map((e) => e.id), agentEvents(a).map((e) => e.id));
    const all = agentEvents(a).map((e) => e.id);
    assert.deepEqual(all, [...all].sort((x, y) => x - y), 'ids only grow');
    firstDeltaId = ids[0]!;
    assert.ok(w.llm.requests.some((r) => !r.isTitle), 'the prompt reached the fake LLM');
  });

  it('answers a permission request and aborts a turn through the proxy, their events relayed', async () => {
    const [a] = taps as [EventTap];
    w.llm.enqueue({ toolCalls: [{ name: 'bash', arguments: { command: 'echo relayed', description: 'Print a word' } }] }, { text: 'Ran it.' });
    await w.alice.post(`${w.base}/session/${sessionId}/prompt_async`, { parts: [{ type: 'text', text: 'Run echo.' }] });
    const asked = await a.waitFor((f) => f.event === 'permission.asked', 30_000);
    const request = JSON.parse(asked.data!).properties as { id: string; sessionID: string; permission: string };
    assert.deepEqual([request.sessionID, request.permission], [sessionId, 'bash']);
    const pending = await w.alice.get<{ id: string }[]>(`${w.base}/permission`);
    assert.deepEqual(pending.body.map((p) => p.id), [request.id]);
    const reply = await w.alice.post(`${w.base}/permission/${request.id}/reply`, { reply: 'once' });
    assert.equal(reply.status, 200);
    await a.waitFor((f) => f.event === 'permission.replied', 10_000);
    const idleAfter = (from: number) => (f: { id?: string; event?: string; data?: string }) => f.event === 'session.idle' && Number(f.id) > from && f.data!.includes(sessionId);
    const mark = agentEvents(a).at(-1)!.id;
    await a.waitFor(idleAfter(mark - 1), 30_000);

    w.llm.enqueue({ text: 'x'.repeat(400), chunkSize: 4, delayMs: 50 });
    await w.alice.post(`${w.base}/session/${sessionId}/prompt_async`, { parts: [{ type: 'text', text: 'Talk slowly.' }] });
    const started = agentEvents(a).at(-1)!.id;
    await a.waitFor((f) => f.event === 'message.part.delta' && Number(f.id) > started, 30_000);
    const abort = await w.alice.post(`${w.base}/session/${sessionId}/abort`);
    assert.equal(abort.status, 200);
    const error = await a.waitFor((f) => f.event === 'session.error' && Number(f.id) > started, 10_000);
    assert.match(error.data!, /MessageAbortedError/);
    await a.waitFor(idleAfter(started), 10_000);
  });

  it('replays what a client missed after Last-Event-ID, with the same ids', async () => {
    const [a, b] = taps as [EventTap, EventTap];
    const last = agentEvents(b).at(-1)!.id;
    await b.close();
    const before = agentEvents(a).length;
    await w.alice.patch(`${w.base}/session/${sessionId}`, { title: 'renamed once' });
    await until('the rename event', () => (agentEvents(a).length > before ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 200));
    const missed = agentEvents(a).filter((e) => e.id > last).map((e) => [e.id, e.type]);
    const back = await tap(String(last));
    await back.waitFor((f) => f.event === 'ready');
    assert.deepEqual(agentEvents(back).map((e) => [e.id, e.type]), missed);
    assert.ok(missed.some(([, type]) => type === 'session.updated'), JSON.stringify(missed));
  });

  it('sends resync when the id is older than the buffer or from before a restart', async () => {
    const old = await tap(String(firstDeltaId));
    const first = await old.waitFor((f) => f.event !== undefined);
    assert.equal(first.event, 'resync');
    assert.equal(JSON.parse(first.data!).properties.reason, 'too_old');
    const restarted = await tap('1');
    const r = await restarted.waitFor((f) => f.event !== undefined);
    assert.deepEqual([r.event, JSON.parse(r.data!).properties.reason], ['resync', 'api_restarted']);
    await restarted.waitFor((f) => f.event === 'ready');
  });

  it('closes the upstream when the last client leaves, and resyncs whoever comes back after the gap', async () => {
    const last = Math.max(...taps.flatMap((t) => t.events().map((e) => e.id)));
    for (const t of taps.splice(0)) await t.close();
    await until('the upstream to close', () => (stats()?.upstreamOpen === false && stats()?.clients === 0 ? true : undefined), 5000);
    const back = await tap(String(last));
    await back.waitFor((f) => f.event === 'ready');
    const types = back.events().map((e) => e.type);
    assert.deepEqual(types, ['resync', 'ready']);
    assert.equal(back.events()[0]!.data.properties.reason, 'agent_stream_gap');
    assert.equal(stats()?.connects, 2);
  });

  it('reconnects upstream after the agent restarts and tells clients to resync', async () => {
    const t = taps[0]!;
    const readies = () => t.events().filter((e) => e.type === 'ready').length;
    const before = readies();
    const op = await w.alice.post<Operation>(`/api/projects/${w.project.id}/restart`);
    assert.equal(op.status, 202);
    await until('the restart to finish', async () => {
      const ops = (await w.alice.get<OperationList>(`/api/projects/${w.project.id}/operations`)).body.items;
      return ops.find((o) => o.id === op.body.id && o.state === 'succeeded');
    }, 45_000);
    const healthyAt = Date.now();
    await until('a new ready after the restart', () => (readies() > before ? true : undefined), 15_000);
    const lag = Date.now() - healthyAt;
    assert.ok(lag < 2500, `the relay reconnected ${lag} ms after the agent was healthy again`);
    const tail = t.events().slice(-2).map((e) => [e.type, e.type === 'resync' ? e.data.properties.reason : '']);
    assert.deepEqual(tail, [['resync', 'agent_stream_gap'], ['ready', '']]);
    assert.equal(stats()?.connects, 3);
    // Still relaying after the reconnect.
    await w.alice.patch(`${w.base}/session/${sessionId}`, { title: 'after restart' });
    await t.waitFor((f) => f.event === 'session.updated' && f.data!.includes('after restart'), 5000);
  });
});
