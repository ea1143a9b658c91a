import assert from 'node:assert/strict';
import type http from 'node:http';
import { afterOverlap, LogFollower, type LogFollowerState } from '../../../../extension/projects/logFollower';
import { eventually, FakeClock, json, startServer, type TestServer } from '../builders';

const logFrame = (line: string) => `event: log\ndata: ${JSON.stringify({ line })}\n\n`;

describe('afterOverlap', () => {
  it('drops the replayed part of a tail and keeps what is new', () => {
    assert.deepEqual(afterOverlap(['a', 'b', 'c'], ['b', 'c', 'd', 'e']), ['d', 'e']);
    assert.deepEqual(afterOverlap(['a', 'b', 'c'], ['a', 'b', 'c']), []);
    assert.deepEqual(afterOverlap(['a', 'b'], ['x', 'y']), ['x', 'y']);
    assert.deepEqual(afterOverlap([], ['x']), ['x']);
  });

  it('takes the longest overlap when lines repeat', () => {
    assert.deepEqual(afterOverlap(['tick', 'tick', 'tick'], ['tick', 'tick', 'tick', 'boom']), ['boom']);
  });
});

describe('LogFollower against a real SSE server, on a fake clock', () => {
  let server: TestServer;
  let open: http.ServerResponse[];
  let onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let follower: LogFollower | undefined;
  let clock: FakeClock;

  beforeEach(async () => {
    open = [];
    clock = new FakeClock();
    onRequest = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': hi\n\n');
      open.push(res);
    };
    server = await startServer((req, res) => onRequest(req, res));
  });
  afterEach(async () => {
    follower?.stop();
    await server.close();
  });

  function follow() {
    const lines: string[] = [];
    const notices: string[] = [];
    const states: LogFollowerState[] = [];
    follower = new LogFollower({
      baseUrl: server.url, token: 'tok-1234567890', projectId: 'p/1', fetch, timers: clock, random: () => 1,
      tail: 5, initialBackoffMs: 1000, maxBackoffMs: 8000, settleMs: 300,
      onLines: (l) => lines.push(...l), onNotice: (n) => notices.push(n), onState: (s) => states.push(s),
    });
    follower.start();
    return { lines, notices, states };
  }

  it('asks for the tail with follow=true and the token, and shows each log line', async () => {
    const { lines } = follow();
    await eventually(() => open.length === 1, 2000, 'the stream');
    assert.equal(server.requests[0]?.url, '/api/projects/p%2F1/logs?tail=5&follow=true');
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer tok-1234567890');
    open[0]!.write(logFrame('listening on 127.0.0.1:4100'));
    open[0]!.write('event: other\ndata: {"line":"not a log frame"}\n\n');
    open[0]!.write(logFrame('GET /global/health 200'));
    await eventually(() => lines.length === 2, 2000, 'two lines');
    assert.deepEqual(lines, ['listening on 127.0.0.1:4100', 'GET /global/health 200']);
  });

  it('reconnects with backoff when the stream ends and does not repeat the replayed tail', async () => {
    const { lines, notices, states } = follow();
    await eventually(() => open.length === 1, 2000, 'the stream');
    open[0]!.write(logFrame('a') + logFrame('b') + logFrame('c'));
    await eventually(() => lines.length === 3, 2000, 'three lines');
    open[0]!.end(); // the API restarts, say
    await eventually(() => states.at(-1)?.kind === 'waiting', 2000, 'waiting');
    assert.match(notices[0] ?? '', /reconnecting in 1\.0 s/);
    clock.advance(999);
    assert.equal(open.length, 1, 'not before the backoff');
    clock.advance(1);
    await eventually(() => open.length === 2, 2000, 'the reconnect');
    // The server replays its tail (b, c) and then the new lines of the restarted container.
    open[1]!.write(logFrame('b') + logFrame('c') + logFrame('restarted') + logFrame('listening'));
    await new Promise((r) => setTimeout(r, 100)); // real time for the bytes to arrive; the fake clock holds the settle timer
    assert.deepEqual(lines, ['a', 'b', 'c'], 'held until the replay settles');
    clock.advance(300);
    assert.deepEqual(lines, ['a', 'b', 'c', 'restarted', 'listening']);
    open[1]!.write(logFrame('c'));
    await eventually(() => lines.length === 6, 2000, 'live lines pass straight through');
    assert.equal(lines.at(-1), 'c');
  });

  it('backs off further while the server keeps failing, and resets after lines arrive', async () => {
    let fail = true;
    onRequest = (_req, res) => {
      if (fail) return json(res, 503, { error: { code: 'runtime_unavailable', message: 'the driver is not ready' } });
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      open.push(res);
    };
    const { notices, states, lines } = follow();
    await eventually(() => states.at(-1)?.kind === 'waiting', 2000, 'first failure');
    assert.match(notices[0] ?? '', /HTTP 503: the driver is not ready/);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = states.at(-1);
      assert.equal(s?.kind, 'waiting');
      delays.push((s as { delayMs: number }).delayMs);
      const count = states.length;
      clock.advance((s as { delayMs: number }).delayMs);
      await eventually(() => states.length > count + 1 && states.at(-1)?.kind === 'waiting', 2000, 'next failure');
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000]);
    fail = false;
    clock.advance(8000);
    await eventually(() => open.length === 1, 2000, 'the stream');
    open[0]!.end(logFrame('hello'));
    await eventually(() => states.at(-1)?.kind === 'waiting', 2000, 'waiting again');
    assert.deepEqual(lines, ['hello']);
    assert.equal((states.at(-1) as { delayMs: number }).delayMs, 1000);
  });

  it('stops for good on 404 and after stop()', async () => {
    onRequest = (_req, res) => json(res, 404, { error: { code: 'not_found', message: 'no project p/1' } });
    const { notices, states } = follow();
    await eventually(() => states.at(-1)?.kind === 'stopped', 2000, 'stopped');
    assert.match(notices.at(-1) ?? '', /not found \(404\): no project p\/1/);
    assert.equal(clock.pending, 0);
    assert.equal(follower?.isRunning, false);
  });

  it('stop() aborts the open stream and schedules nothing', async () => {
    const { states } = follow();
    await eventually(() => open.length === 1, 2000, 'the stream');
    follower!.stop();
    await eventually(() => open[0]!.writableFinished || open[0]!.destroyed || open[0]!.closed, 2000, 'the connection to close');
    assert.equal(states.at(-1)?.kind, 'stopped');
    assert.equal(clock.pending, 0);
  });
});
