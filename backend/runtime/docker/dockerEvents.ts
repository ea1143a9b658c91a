import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_PROJECT } from './containerSpec';
import { jsonLines } from './dockerStreams';

export interface ContainerEvent {
  projectId: string;
  containerId: string;
  action: string;
  /** Unix seconds. */
  time: number;
  exitCode?: number;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/**
 * One `docker events` stream for Hangar's containers, shared by watch() and followLogs(), opened
 * while someone listens and re-opened (from the last event's time) when the engine drops it.
 */
export class DockerEvents {
  private readonly listeners = new Set<(e: ContainerEvent) => void>();
  private stream: NodeJS.ReadableStream | undefined;
  private connecting = false;
  private lastTime = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly docker: Docker) {}

  subscribe(listener: (e: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  /** The first matching event, or null after timeoutMs or on abort. */
  waitFor(match: (e: ContainerEvent) => boolean, signal: AbortSignal, timeoutMs: number): Promise<ContainerEvent | null> {
    return new Promise((resolve) => {
      let unsubscribe = () => {};
      const finish = (e: ContainerEvent | null) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        unsubscribe();
        resolve(e);
      };
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      unsubscribe = this.subscribe((e) => { if (match(e)) finish(e); });
      if (signal.aborted) finish(null);
    });
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.disconnect();
  }

  private connect(): void {
    if (this.stream || this.connecting || this.closed || this.listeners.size === 0) return;
    this.connecting = true;
    this.docker.getEvents({
      ...(this.lastTime ? { since: this.lastTime } : {}),
      filters: { type: ['container'], label: [`${LABEL_MANAGED}=true`] },
    }).then((stream) => {
      this.connecting = false;
      if (this.closed || this.listeners.size === 0) { destroy(stream); return; }
      this.stream = stream;
      jsonLines<RawEvent>(stream, (raw) => this.dispatch(raw));
      const dropped = () => { if (this.stream === stream) { this.stream = undefined; this.retry(); } };
      stream.on('end', dropped);
      stream.on('close', dropped);
      stream.on('error', dropped);
    }, () => {
      this.connecting = false;
      this.retry();
    });
  }

  private retry(): void {
    if (this.closed || this.listeners.size === 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.connect(); }, 1000);
    this.retryTimer.unref();
  }

  private disconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const s = this.stream;
    this.stream = undefined;
    if (s) destroy(s);
  }

  private dispatch(raw: RawEvent): void {
    const attrs = raw.Actor?.Attributes ?? {};
    const projectId = attrs[LABEL_PROJECT];
    const action = (raw.Action ?? raw.status ?? '').split(':')[0] ?? '';
    if (!projectId || !action) return;
    if (raw.time) this.lastTime = raw.time;
    const event: ContainerEvent = {
      projectId,
      containerId: raw.Actor?.ID ?? raw.id ?? '',
      action,
      time: raw.time ?? Math.floor(Date.now() / 1000),
      ...(attrs.exitCode !== undefined ? { exitCode: Number(attrs.exitCode) } : {}),
    };
    for (const l of [...this.listeners]) {
      try { l(event); } catch { /* a listener's bug must not stop the stream */ }
    }
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as unknown as { destroy?: () => void }).destroy?.();
}
