import assert from 'node:assert/strict';
import type http from 'node:http';
import type { HangarEvent } from '../../../../backend/contract';
import {
  backoffDelay, EventStream, type EventStreamOptions, type SseFrame, type StreamState,
} from '../../../../extension/core/eventStream';
import { anEvent, aProject, eventually, json, sseFrame, startServer, type TestServer } from '../builders';

describe('EventStream against a real SSE server', () => {
  let server: TestServer;
  let open: http.ServerResponse[];
  let onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let stream: EventStream | undefined;

  beforeEach(async () => {
    open = [];
    onRequest = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write(': hello\n\n');
      open.push(res);
    };
    server = await startServer((req, res) => onRequest(req, res));
  });
  afterEach(async () => {
    stream?.stop();
    await server.close();
  });

  function connect(opts: Partial<EventStreamOptions> = {}) {
    const events: HangarEvent[] = [];
    const states: StreamState[] = [];
    stream = new EventStream<HangarEvent>({
      baseUrl: server.url, token: 'tok-abcdefgh', fetch, random: () => 0.5, initialBackoffMs: 20, maxBackoffMs: 100,
      onEvent: (e) => events.push(e), onState: (s) => states.push(s), ...opts,
    });
    stream.start();
    return { events, states };
  }

  it('delivers contract-valid events and skips invalid ones', async () => {
    const { events } = connect();
    await eventually(() => open.length === 1, 2000, 'the stream to open');
    const created = anEvent('project.created', { project: aProject() }, 1);
    open[0]!.write('id: 2\nevent: project.created\ndata: {"not":"an event"}\n\n');
    open[0]!.write(sseFrame(created).slice(0, 10));
    open[0]!.write(sseFrame(created).slice(10));
    await eventually(() => events.length === 1, 2000, 'the event');
    assert.deepEqual(events, [created]);
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer tok-abcdefgh');
    assert.equal(server.requests[0]?.headers['last-event-id'], undefined);
  });

  it('parses frames split at every byte, with CR, CRLF and LF line ends; an id holds for the frames after it', async () => {
    const frames: SseFrame[] = [];
    const { events } = connect({ parse: (data, frame) => { frames.push(frame); return data as HangarEvent; } });
    await eventually(() => open.length === 1, 2000, 'the stream to open');
    const text = 'id: 7\r\nevent: x\r\ndata: {"t":\r\ndata: "héllo ✓"}\r\n\r\nretry: 2500\rfoo: bar\rdata: {"t":2}\r\r: ping\n\n';
    for (const b of new TextEncoder().encode(text)) open[0]!.write(Uint8Array.of(b));
    await eventually(() => events.length === 2, 2000, 'two events');
    assert.deepEqual(frames, [{ id: '7', event: 'x', data: '{"t":\n"héllo ✓"}' }, { id: '7', event: 'message', data: '{"t":2}' }]);
    assert.equal(stream?.lastEventId, '7');
  });

  it('follows another path with its own parser (the agent proxy\'s relayed stream)', async () => {
    const got: Array<{ type: string }> = [];
    const agent = new EventStream<{ type: string }>({
      baseUrl: server.url, path: '/api/projects/p1/opencode/event', token: 'tok-abcdefgh', fetch, random: () => 0.5,
      parse: (data) => (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' ? data as { type: string } : undefined),
      onEvent: (e) => got.push(e),
    });
    try {
      agent.start();
      await eventually(() => open.length === 1, 2000, 'the stream to open');
      open[0]!.write('id: 7\nevent: message.part.delta\ndata: {"id":7,"type":"message.part.delta","properties":{}}\n\n');
      open[0]!.write('id: 8\ndata: {"no":"type"}\n\n');
      await eventually(() => got.length === 1, 2000, 'the event');
      assert.equal(got[0]?.type, 'message.part.delta');
      assert.equal(server.requests[0]?.url, '/api/projects/p1/opencode/event');
      assert.equal(agent.lastEventId, '7');
    } finally {
      agent.stop();
    }
  });

  it('reconnects after the server drops the stream and sends Last-Event-ID', async () => {
    const { events, states } = connect();
    await eventually(() => open.length === 1, 2000, 'the stream to open');
    open[0]!.end(sseFrame(anEvent('project.deleted', { id: 'p1' }, 41)));
    await eventually(() => states.filter((s) => s.kind === 'open').length === 2, 2000, 'the reconnect');
    assert.equal(server.requests[1]?.headers['last-event-id'], '41');
    assert.equal(events.length, 1);
    const opens = states.filter((s) => s.kind === 'open');
    assert.deepEqual(opens, [{ kind: 'open', reconnected: false }, { kind: 'open', reconnected: true }]);
    assert.ok(states.some((s) => s.kind === 'waiting'));
  });

  it('stops for good on 401', async () => {
    onRequest = (_req, res) => json(res, 401, { error: { code: 'unauthorised', message: 'no' } });
    const { states } = connect();
    await eventually(() => states.some((s) => s.kind === 'unauthorised'), 2000, 'unauthorised');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.requests.length, 1);
  });

  it('retries with backoff while the server answers errors, then recovers', async () => {
    let failuresLeft = 3;
    const healthy = onRequest;
    onRequest = (req, res) => (failuresLeft-- > 0 ? json(res, 503, { error: { code: 'unavailable', message: 'later' } }) : healthy(req, res));
    const { states } = connect();
    await eventually(() => open.length === 1, 3000, 'recovery');
    const delays = states.flatMap((s) => (s.kind === 'waiting' ? [s.delayMs] : []));
    assert.deepEqual(delays, [15, 30, 60]);
  });

  it('treats a silent connection as dead and reconnects', async () => {
    onRequest = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.flushHeaders();
      open.push(res); // and then never a byte
    };
    const { states } = connect({ idleTimeoutMs: 150 });
    await eventually(() => open.length >= 2, 3000, 'a reconnect after silence');
    const waiting = states.find((s) => s.kind === 'waiting');
    assert.ok(waiting && waiting.kind === 'waiting' && /no data or heartbeat/.test(waiting.reason));
  });

  it('keeps a connection that only sends heartbeats', async () => {
    const { states } = connect({ idleTimeoutMs: 200 });
    await eventually(() => open.length === 1, 2000, 'open');
    for (let i = 0; i < 6; i++) {
      open[0]!.write(': ping\n\n');
      await new Promise((r) => setTimeout(r, 80));
    }
    assert.equal(open.length, 1);
    assert.equal(states.filter((s) => s.kind === 'waiting').length, 0);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay, jitters within the upper half and caps at the maximum', () => {
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffDelay(a, 1000, 30_000, () => 1)), [1000, 2000, 4000, 8000]);
    assert.equal(backoffDelay(1, 1000, 30_000, () => 0), 500);
    assert.equal(backoffDelay(20, 1000, 30_000, () => 1), 30_000);
  });
});
