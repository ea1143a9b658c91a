import { z } from 'zod';
import { networkMessage } from './apiClient';
import { backoffDelay } from './eventStream';
import type { Fetch } from './fetchTypes';
import type { Disposable } from './ports';
import { SseParser } from './sseParser';
import { realTimers, type Timers } from './timers';

const LogFrame = z.object({ line: z.string() });

export type LogFollowerState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'following' }
  | { kind: 'waiting'; delayMs: number; reason: string }
  | { kind: 'stopped'; reason: string };

export interface LogFollowerOptions {
  baseUrl: string;
  token: string;
  projectId: string;
  fetch: Fetch;
  timers?: Timers;
  random?: () => number;
  /** Lines of history asked for on each (re)connect. */
  tail?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** After a reconnect, the replayed tail is collected until the stream is quiet this long, then de-duplicated. */
  settleMs?: number;
  onLines(lines: string[]): void;
  /** Something about the stream itself ("reconnecting in 2 s"), not a line of the container's log. */
  onNotice(text: string): void;
  onState?(state: LogFollowerState): void;
}

/**
 * The lines of `batch` that are new: `batch` is the server's tail at reconnect, which starts with some
 * suffix of what was already shown. The longest such overlap wins (logs repeat lines).
 */
export function afterOverlap(history: readonly string[], batch: readonly string[]): string[] {
  for (let m = Math.min(history.length, batch.length); m > 0; m--) {
    let same = true;
    for (let i = 0; i < m && same; i++) same = batch[i] === history[history.length - m + i];
    if (same) return batch.slice(m);
  }
  return [...batch];
}

/**
 * Follows GET /api/projects/:id/logs?follow=true (SSE `event: log`, data {"line"}): reconnects with
 * backoff when the stream ends or breaks (the API keeps following across a container restart, and a
 * broken connection is retried), without repeating lines it already showed. Stops on 401/404 or stop().
 */
export class LogFollower implements Disposable {
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly tail: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly settleMs: number;
  private readonly history: string[] = [];
  private abort: AbortController | undefined;
  private retryTimer: unknown;
  private settleTimer: unknown;
  private attempt = 0;
  private connections = 0;
  private running = false;
  /** Lines held after a reconnect until the replayed tail is complete; undefined = pass through. */
  private held: string[] | undefined;
  private _state: LogFollowerState = { kind: 'connecting', attempt: 0 };

  constructor(private readonly options: LogFollowerOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.tail = options.tail ?? 200;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.settleMs = options.settleMs ?? 300;
  }

  get state(): LogFollowerState { return this._state; }
  get isRunning(): boolean { return this.running; }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(reason = 'stopped'): void {
    if (!this.running) return;
    this.running = false;
    this.flushHeld();
    this.clearTimers();
    this.abort?.abort();
    this.abort = undefined;
    this.setState({ kind: 'stopped', reason });
  }

  dispose(): void {
    this.stop();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const abort = new AbortController();
    this.abort = abort;
    const url = `${this.options.baseUrl}/api/projects/${encodeURIComponent(this.options.projectId)}/logs?tail=${this.tail}&follow=true`;
    let reason: string;
    try {
      const res = await this.options.fetch(url, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${this.options.token}` },
        signal: abort.signal,
      });
      const type = res.headers.get('content-type') ?? '';
      if (res.status === 401 || res.status === 404) {
        const text = await res.text().catch(() => '');
        const why = res.status === 401 ? 'the server refused the token (401)' : `not found (404)${errorMessage(text)}`;
        this.options.onNotice(`stopped following: ${why}`);
        this.stop(why);
        return;
      }
      if (res.status !== 200 || !type.includes('text/event-stream') || !res.body) {
        const text = await res.text().catch(() => '');
        reason = `HTTP ${res.status}${errorMessage(text)}`;
      } else {
        reason = await this.consume(res.body, abort);
      }
    } catch (e) {
      reason = abort.signal.aborted ? 'aborted' : networkMessage(e);
    }
    if (!this.running || this.abort !== abort) return;
    abort.abort();
    this.flushHeld();
    this.scheduleReconnect(reason);
  }

  private async consume(body: ReadableStream<Uint8Array>, abort: AbortController): Promise<string> {
    this.connections++;
    if (this.connections > 1) {
      this.held = [];
      this.armSettle();
    }
    this.setState({ kind: 'following' });
    const parser = new SseParser({
      onFrame: (f) => {
        if (f.event !== 'log') return;
        try {
          const parsed = LogFrame.safeParse(JSON.parse(f.data));
          if (parsed.success) this.line(parsed.data.line);
        } catch {
          // A frame that is not JSON is not a log line of this contract; skip it.
        }
      },
    });
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'the server closed the log stream';
        parser.feed(value);
      }
    } catch (e) {
      return abort.signal.aborted ? 'aborted' : networkMessage(e);
    } finally {
      reader.releaseLock();
    }
  }

  private line(line: string): void {
    // Only a stream that delivers resets the backoff: one the server closes at once must not spin.
    this.attempt = 0;
    if (this.held) {
      this.held.push(line);
      if (this.held.length >= this.tail) this.flushHeld();
      else this.armSettle();
      return;
    }
    this.emit([line]);
  }

  private armSettle(): void {
    if (this.settleTimer !== undefined) this.timers.clearTimeout(this.settleTimer);
    this.settleTimer = this.timers.setTimeout(() => {
      this.settleTimer = undefined;
      this.flushHeld();
    }, this.settleMs);
  }

  private flushHeld(): void {
    if (this.settleTimer !== undefined) this.timers.clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    const held = this.held;
    this.held = undefined;
    if (held?.length) this.emit(afterOverlap(this.history, held));
  }

  private emit(lines: string[]): void {
    if (!lines.length) return;
    this.history.push(...lines);
    if (this.history.length > this.tail) this.history.splice(0, this.history.length - this.tail);
    this.options.onLines(lines);
  }

  private scheduleReconnect(reason: string): void {
    const delayMs = backoffDelay(Math.max(1, this.attempt), this.initialBackoffMs, this.maxBackoffMs, this.random);
    this.options.onNotice(`log stream interrupted (${reason}); reconnecting in ${(delayMs / 1000).toFixed(1)} s`);
    this.setState({ kind: 'waiting', delayMs, reason });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    if (this.settleTimer !== undefined) this.timers.clearTimeout(this.settleTimer);
    this.retryTimer = undefined;
    this.settleTimer = undefined;
  }

  private setState(state: LogFollowerState): void {
    this._state = state;
    this.options.onState?.(state);
  }
}

function errorMessage(text: string): string {
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof m === 'string' ? `: ${m}` : '';
  } catch {
    return '';
  }
}
