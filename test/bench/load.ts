// Client-side helpers of the benchmarks (fleet.ts, fanout.ts): timed JSON requests, a concurrency pool, and SSE
// streams read frame by frame (node:http, one socket each), as a VS Code window would hold them.
import http from 'node:http';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Timed<T> { status: number; body: T; ms: number }

/** One JSON request as a client sees it (from before the request to the whole answer read). */
export async function call<T = unknown>(base: string, token: string, method: string, p: string, body?: unknown): Promise<Timed<T>> {
  const t = performance.now();
  const res = await fetch(base + p, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const ms = performance.now() - t;
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, ms };
}

/** Runs fn over items with at most `n` at once; results in item order. */
export async function pool<I, O>(items: I[], n: number, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array<O>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  }));
  return out;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

export interface Stream {
  close(): void;
}

/** Follows an SSE stream; `onFrame(event, data)` for each frame with an event line. Resolves once 200 arrives. */
export function openSse(url: string, token: string, onFrame: (event: string, data: string) => void): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${url}: HTTP ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          let event = '';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (event) onFrame(event, data);
        }
      });
      res.on('error', () => {});
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

export function closeAgents(): void {
  agent.destroy();
}
