import { z } from 'zod';
import { EventStream, type StreamState } from '../core/eventStream';
import type { Fetch } from '../core/fetchTypes';
import type { Disposable } from '../core/ports';
import { realTimers, type Timers } from '../core/timers';

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
 * Follows GET /api/projects/:id/logs?follow=true (SSE `event: log`, data {"line"}) on an EventStream:
 * it reconnects with backoff when the stream ends or breaks (the API keeps following across a
 * container restart), and this class only adds what is particular to logs: the server replays its
 * tail on every connect, so lines already shown are not repeated. Stops on 401/404 or stop().
 */
export class LogFollower implements Disposable {
  private readonly timers: Timers;
  private readonly tail: number;
  private readonly settleMs: number;
  private readonly history: string[] = [];
  private readonly stream: EventStream<string>;
  private settleTimer: unknown;
  private running = false;
  /** Lines held after a reconnect until the replayed tail is complete; undefined = pass through. */
  private held: string[] | undefined;
  private _state: LogFollowerState = { kind: 'connecting', attempt: 0 };

  constructor(private readonly options: LogFollowerOptions) {
    this.timers = options.timers ?? realTimers;
    this.tail = options.tail ?? 200;
    this.settleMs = options.settleMs ?? 300;
    this.stream = new EventStream<string>({
      baseUrl: options.baseUrl,
      path: `/api/projects/${encodeURIComponent(options.projectId)}/logs?tail=${this.tail}&follow=true`,
      token: options.token,
      fetch: options.fetch,
      timers: this.timers,
      random: options.random,
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      stopOnStatus: [404],
      // Other frames are not log lines of this contract: skipped.
      parse: (data, frame) => (frame.event === 'log' ? LogFrame.safeParse(data).data?.line : undefined),
      onEvent: (line) => this.line(line),
      onState: (s) => this.streamState(s),
    });
  }

  get state(): LogFollowerState { return this._state; }
  get isRunning(): boolean { return this.running; }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stream.start();
  }

  stop(reason = 'stopped'): void {
    if (!this.running) return;
    this.running = false;
    this.flushHeld();
    this.stream.stop();
    this.setState({ kind: 'stopped', reason });
  }

  dispose(): void {
    this.stop();
  }

  private streamState(s: StreamState): void {
    switch (s.kind) {
      case 'connecting':
        this.setState({ kind: 'connecting', attempt: s.attempt });
        return;
      case 'open':
        // After a reconnect the server replays its tail: hold it until it is complete, then de-duplicate.
        if (s.reconnected) {
          this.held = [];
          this.armSettle();
        }
        this.setState({ kind: 'following' });
        return;
      case 'waiting':
        this.flushHeld();
        this.options.onNotice(`log stream interrupted (${s.reason}); reconnecting in ${(s.delayMs / 1000).toFixed(1)} s`);
        this.setState({ kind: 'waiting', delayMs: s.delayMs, reason: s.reason });
        return;
      case 'unauthorised':
        this.options.onNotice(`stopped following: ${s.message}`);
        this.stop(s.message);
        return;
      case 'stopped':
        if (s.reason === undefined) return; // our own stop()
        this.options.onNotice(`stopped following: ${s.reason.replace(/^HTTP 404/, 'not found (404)')}`);
        this.stop(s.reason);
        return;
      case 'idle':
        return;
    }
  }

  private line(line: string): void {
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

  private setState(state: LogFollowerState): void {
    this._state = state;
    this.options.onState?.(state);
  }
}
