import { recordCapture } from '../../harness/scanRegistry.mjs';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads the user's event stream (GET /api/events) frame by frame, for assertions on exact frames. */
export async function openEventStream(baseUrl: string, token: string, lastEventId?: string) {
  return readSse(baseUrl + '/api/events', token, lastEventId);
}

/** Reads any server-sent-event stream (full URL) frame by frame; a non-200 answer yields no frames. */
export async function readSse(url: string, token: string, lastEventId?: string) {
  const controller = new AbortController();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await fetch(url, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  // The secrets scan after the suite reads every frame a test received (test/harness/scanRegistry.mjs).
  recordCapture(`the event stream ${new URL(url).pathname}`, () => frames.map((f) => f.data ?? '').join('\n'));
  const waiters: (() => void)[] = [];
  let buffer = '';
  const pump = (async () => {
    if (res.status !== 200) return;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const frame: SseFrame = {};
          for (const line of raw.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const i = line.indexOf(':');
              const key = line.slice(0, i) as 'id' | 'event' | 'data';
              frame[key] = line.slice(i + 1).replace(/^ /, '');
            }
          }
          frames.push(frame);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    frames,
    /** Resolves with the first frame (from the start) that matches, or rejects after `ms`. */
    async waitFor(match: (f: SseFrame) => boolean, ms = 5000): Promise<SseFrame> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching SSE frame within ${ms} ms; got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
    },
    events: () => frames.filter((f) => f.event),
    close: async () => { controller.abort(); await pump; },
  };
}
