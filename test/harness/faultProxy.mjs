// A TCP proxy that injects faults between a client and a server (issue #14): connection resets and
// stalls at chosen points, including mid-request (part of a POST sent, then reset), after the server
// answered (the answer lost on the way back) and mid-stream (an SSE connection cut). HTTP/1.1 only: it
// reads request lines and status lines at the start of chunks to know where it is.
import net from 'node:net';

const METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/;

/**
 * @param {{ host: string, port: number }} target
 */
export async function startFaultProxy(target) {
  /** @type {Set<Conn>} */
  const conns = new Set();
  /** armed faults, each fired once by the first connection it matches */
  const armed = { midRequest: [], lostAnswer: [] };
  const stats = { connections: 0, midRequest: 0, lostAnswer: 0, midStream: 0, stalls: 0, resets: 0 };

  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(target.port, target.host);
    /** @type {Conn} */
    const conn = { client, upstream, lastMethod: '', lastPath: '', streaming: false, stalled: false, destroy };
    conns.add(conn);
    function destroy() {
      if (!conns.delete(conn)) return;
      if (typeof client.resetAndDestroy === 'function') client.resetAndDestroy();
      else client.destroy();
      upstream.destroy();
    }
    client.on('data', (chunk) => {
      if (conn.stalled) return;
      const m = METHOD.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      if (m) {
        conn.lastMethod = m[1];
        conn.lastPath = m[2];
        conn.streaming = m[1] === 'GET' && /\/event(\?|$)/.test(m[2]);
        const i = armed.midRequest.findIndex((f) => f.match(m[1], m[2]));
        if (i >= 0) {
          // Part of the request reaches the server, then the connection dies: it never runs.
          const fault = armed.midRequest.splice(i, 1)[0];
          upstream.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length * fault.fraction))));
          stats.midRequest++;
          fault.fired();
          setImmediate(destroy);
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (conn.stalled) return;
      if (chunk.toString('latin1', 0, 9).startsWith('HTTP/1.1 ')) {
        const i = armed.lostAnswer.findIndex((f) => f.match(conn.lastMethod, conn.lastPath));
        if (i >= 0) {
          // The server did the work; its answer is lost on the way back.
          armed.lostAnswer.splice(i, 1)[0].fired();
          stats.lostAnswer++;
          destroy();
          return;
        }
      }
      client.write(chunk);
    });
    const end = () => destroy();
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const port = /** @type {net.AddressInfo} */ (server.address()).port;

  const pick = (list, rng) => list[Math.floor(rng() * list.length)];
  const arm = (kind, match, fraction = 0.5) => new Promise((fired) => { armed[kind].push({ match, fraction, fired }); });

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    /** open connections (streams and pooled keep-alive sockets) */
    connections: () => [...conns],
    /** The next request matching `match` is cut after `fraction` of its first chunk. Resolves when it fired. */
    armMidRequest: (match, fraction = 0.5) => arm('midRequest', match, fraction),
    /** The answer to the next request matching `match` is dropped and the connection reset. */
    armLostAnswer: (match) => arm('lostAnswer', match),
    /** Cuts one open event stream; false when none is open. */
    cutStream(rng = Math.random) {
      const streams = [...conns].filter((c) => c.streaming);
      if (!streams.length) return false;
      pick(streams, rng).destroy();
      stats.midStream++;
      return true;
    },
    /** One connection stops passing bytes both ways for `ms`, then is reset. */
    stall(ms, rng = Math.random) {
      const all = [...conns];
      if (!all.length) return false;
      const c = pick(all, rng);
      c.stalled = true;
      stats.stalls++;
      setTimeout(() => c.destroy(), ms).unref();
      return true;
    },
    /** Resets one connection at once. */
    reset(rng = Math.random) {
      const all = [...conns];
      if (!all.length) return false;
      pick(all, rng).destroy();
      stats.resets++;
      return true;
    },
    disarm() { armed.midRequest.length = 0; armed.lostAnswer.length = 0; },
    async close() {
      for (const c of [...conns]) c.destroy();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/**
 * @typedef {{ client: net.Socket, upstream: net.Socket, lastMethod: string, lastPath: string,
 *   streaming: boolean, stalled: boolean, destroy: () => void }} Conn
 */
