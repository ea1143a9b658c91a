import { createParser } from 'eventsource-parser';
import { HangarEvent } from '../../backend/contract';
import { networkMessage } from './apiClient';
import type { Fetch } from './fetchTypes';
import { realTimers, type Timers } from './timers';

/**
 * One event of the stream. `id` is the last id seen on it, which persists across events as the
 * WHATWG spec says (eventsource-parser reports each event's own id only).
 */
export interface SseFrame {
  id: string | undefined;
  event: string;
  data: string;
}

export type StreamState =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open'; reconnected: boolean }
  | { kind: 'waiting'; attempt: number; delayMs: number; reason: string }
  | { kind: 'unauthorised'; message: string }
  /** `reason` is set when the server ended it for good (a `stopOnStatus` answer), not a stop() call. */
  | { kind: 'stopped'; reason?: string };

export interface EventStreamOptions<E = HangarEvent> {
  /** The server's base URL; the stream is `${baseUrl}${path}`. */
  baseUrl: string;
  /** Defaults to `/api/events`. */
  path?: string;
  /** Turns a frame's data into an event (undefined: ignored). Defaults to the HangarEvent contract. */
  parse?(data: unknown, frame: SseFrame): E | undefined;
  token: string;
  fetch: Fetch;
  timers?: Timers;
  random?: () => number;
  /** No bytes (data or `: ping`) for this long means the connection is dead. */
  idleTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Answers that end the stream for good (401 always does, as `unauthorised`); e.g. 404 for a deleted project. */
  stopOnStatus?: readonly number[];
  onEvent(event: E): void;
  onState?(state: StreamState): void;
  onLog?(level: 'debug' | 'info' | 'warn', message: string): void;
}

/** Exponential backoff with "full jitter" between half and all of the step, capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * GET /api/events as a stream that survives network blips: reconnects with backoff, resumes with
 * Last-Event-ID, notices silent deaths through the heartbeat, and stops for good on 401.
 */
export class EventStream<E = HangarEvent> {
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly idleTimeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private abort: AbortController | undefined;
  private retryTimer: unknown;
  private idleTimer: unknown;
  private attempt = 0;
  private everOpened = false;
  private running = false;
  private serverRetryMs: number | undefined;
  private _state: StreamState = { kind: 'idle' };
  lastEventId: string | undefined;

  constructor(private readonly options: EventStreamOptions<E>) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  get state(): StreamState { return this._state; }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.clearTimers();
    this.abort?.abort();
    this.abort = undefined;
    this.setState({ kind: 'stopped' });
  }

  /** Skip the remaining backoff and try now (a user's "Retry"). */
  reconnectNow(): void {
    if (!this.running || this._state.kind !== 'waiting') return;
    this.clearTimers();
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const abort = new AbortController();
    this.abort = abort;
    const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${this.options.token}` };
    if (this.lastEventId !== undefined) headers['Last-Event-ID'] = this.lastEventId;
    this.armIdleTimer(abort);
    let reason: string;
    try {
      const res = await this.options.fetch(`${this.options.baseUrl}${this.options.path ?? '/api/events'}`, { headers, signal: abort.signal });
      if (res.status === 401 || this.options.stopOnStatus?.includes(res.status)) {
        const text = await res.text().catch(() => '');
        this.running = false;
        this.clearTimers();
        this.setState(res.status === 401
          ? { kind: 'unauthorised', message: 'the server refused the token (401)' }
          : { kind: 'stopped', reason: `HTTP ${res.status}${serverMessage(text)}` });
        return;
      }
      const type = res.headers.get('content-type') ?? '';
      if (res.status !== 200 || !type.includes('text/event-stream') || !res.body) {
        const text = await res.text().catch(() => '');
        reason = `HTTP ${res.status}${serverMessage(text) || ` ${type || 'without content type'}`}`;
      } else {
        reason = await this.consume(res.body, abort);
      }
    } catch (e) {
      reason = abort.signal.aborted ? this.abortReason(abort) : networkMessage(e);
    }
    if (abort.signal.aborted && !this.running) return;
    abort.abort();
    this.scheduleReconnect(reason);
  }

  private async consume(body: ReadableStream<Uint8Array>, abort: AbortController): Promise<string> {
    const reconnected = this.everOpened;
    this.everOpened = true;
    this.setState({ kind: 'open', reconnected });
    // Only a stream that delivers (an event or a heartbeat) resets the backoff: one the server
    // accepts and closes at once must not reconnect in a tight loop.
    // One SSE parser for the API and the extension: the `eventsource-parser` package (see README).
    let lastId = this.lastEventId;
    const decoder = new TextDecoder('utf-8');
    const parser = createParser({
      onId: (id) => { lastId = id; },
      onEvent: (e) => { this.attempt = 0; this.frame({ id: lastId, event: e.event ?? 'message', data: e.data }); },
      onComment: () => { this.attempt = 0; },
      onRetry: (ms) => { this.serverRetryMs = ms; },
    });
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'the server closed the stream';
        this.armIdleTimer(abort);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (e) {
      return abort.signal.aborted ? this.abortReason(abort) : networkMessage(e);
    } finally {
      reader.releaseLock();
    }
  }

  private frame(f: SseFrame): void {
    let event: E;
    try {
      const data: unknown = JSON.parse(f.data);
      let parsedEvent: E | undefined;
      if (this.options.parse) {
        parsedEvent = this.options.parse(data, f);
      } else {
        const parsed = HangarEvent.safeParse(data);
        parsedEvent = parsed.success ? parsed.data as E : undefined;
      }
      if (parsedEvent === undefined) {
        this.options.onLog?.('warn', `ignored an event that does not match the contract (${f.event}, id ${f.id})`);
        return;
      }
      event = parsedEvent;
    } catch {
      this.options.onLog?.('warn', `ignored an event whose data is not JSON (${f.event}, id ${f.id})`);
      return;
    }
    if (f.id !== undefined) this.lastEventId = f.id;
    this.options.onEvent(event);
  }

  private abortReason(abort: AbortController): string {
    return abort.signal.reason === IDLE ? `no data or heartbeat for ${Math.round(this.idleTimeoutMs / 1000)} s` : 'aborted';
  }

  private armIdleTimer(abort: AbortController): void {
    if (this.idleTimer !== undefined) this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.timers.setTimeout(() => {
      this.idleTimer = undefined;
      this.options.onLog?.('warn', `event stream silent for ${this.idleTimeoutMs} ms; reconnecting`);
      abort.abort(IDLE);
    }, this.idleTimeoutMs);
  }

  private scheduleReconnect(reason: string): void {
    if (!this.running) return;
    this.clearTimers();
    const attempt = Math.max(1, this.attempt);
    const delayMs = this.serverRetryMs !== undefined && attempt === 1
      ? this.serverRetryMs
      : backoffDelay(attempt, this.initialBackoffMs, this.maxBackoffMs, this.random);
    this.options.onLog?.('info', `event stream down (${reason}); retrying in ${delayMs} ms`);
    this.setState({ kind: 'waiting', attempt, delayMs, reason });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    if (this.idleTimer !== undefined) this.timers.clearTimeout(this.idleTimer);
    this.retryTimer = undefined;
    this.idleTimer = undefined;
  }

  private setState(state: StreamState): void {
    this._state = state;
    this.options.onState?.(state);
  }
}

const IDLE = Symbol('idle');

/** ": <message>" from the API's error shape ({ error: { message } }), or "" when there is none. */
function serverMessage(text: string): string {
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof m === 'string' ? `: ${m}` : '';
  } catch {
    return '';
  }
}
