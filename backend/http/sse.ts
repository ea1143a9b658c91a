import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

export interface SseStream {
  send(event: { id: number; type: string }, data: unknown): void;
  comment(text: string): void;
  onClose(fn: () => void): void;
  close(): void;
}

/**
 * The frame of an event sent as its own data (`send(e, e)`), written once however many streams carry it:
 * with 1,000 windows of one user, one event is serialised once, not 1,000 times.
 */
const frames = new WeakMap<object, string>();

/** The `id:`/`event:`/`data:` frame of one event. */
export function sseFrame(event: { id: number; type: string }, data: unknown): string {
  const shared = data === event;
  const cached = shared ? frames.get(event) : undefined;
  if (cached !== undefined) return cached;
  const frame = `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
  if (shared) frames.set(event, frame);
  return frame;
}

/**
 * Turns a Koa response into a server-sent-event stream: no buffering by proxies, no socket
 * timeout, a heartbeat comment every `heartbeatMs`, and cleanup when the client leaves.
 */
export function openSse(ctx: Context, heartbeatMs: number): SseStream {
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.req.socket.setKeepAlive(true);
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  const stream = new PassThrough();
  ctx.status = 200;
  ctx.body = stream;
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => stream.write(': ping\n\n'), heartbeatMs);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const fn of closers) fn();
    stream.end();
  };
  ctx.req.on('close', close);
  ctx.res.on('close', close);
  return {
    send(event, data) {
      if (closed) return;
      stream.write(sseFrame(event, data));
    },
    comment(text) {
      if (!closed) stream.write(`: ${text.replace(/\n/g, ' ')}\n\n`);
    },
    onClose(fn) {
      closers.push(fn);
    },
    close,
  };
}
