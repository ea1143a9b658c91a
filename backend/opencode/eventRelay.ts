import { createParser } from 'eventsource-parser';
import type { AgentEvent, AgentResyncReason } from '../contract';
import { HttpError } from '../errors';
import type { Logger } from '../logger';
import { basicAuth } from '../runtime/health';
import { RepeatLimiter } from '../repeatLimiter';
import { EventIds } from '../events/eventIds';
import { RingBuffer } from '../events/ringBuffer';
import type { AgentTarget } from './upstream';

/** opencode frames about its own connection, not the agent's state: the relay sends its own. */
const DROPPED_TYPES = new Set(['server.heartbeat', 'server.connected']);

const RESYNC_MESSAGES: Record<AgentResyncReason, string> = {
  api_restarted: 'The API restarted since your last event; re-read the session status and messages.',
  unknown_id: 'This stream never issued that event id; re-read the session status and messages.',
  too_old: 'More events happened than the API keeps; re-read the session status and messages.',
  agent_stream_gap: 'The API was not listening to the agent for a while; re-read the session status and messages.',
};

export interface RelayOptions {
  bufferSize: number;
  /** Also bounds the buffer by the events' JSON size (tool outputs and full texts can be large). */
  bufferBytes: number;
  /** How long the upstream stays open after the last client leaves. */
  graceMs: number;
  /** opencode hangs requests that arrive before it listens: give up on a connect after this. */
  connectTimeoutMs: number;
  /** No bytes for this long (opencode sends a heartbeat every ~10 s): the stream is dead. */
  stallMs: number;
  /** Reconnect backoff after the agent dropped or refused the stream. */
  backoff: { initialMs: number; maxMs: number };
  /** How often to look again while the project is not running. */
  notRunningPollMs: number;
  target: (projectId: string) => Promise<AgentTarget>;
  log: Logger;
}

export interface RelayClient {
  send(event: AgentEvent): void;
  /** The project is gone: end the stream (the client's reconnect then gets 404). */
  end(): void;
}

type Replay = { kind: 'replay'; events: AgentEvent[] } | { kind: 'resync'; reason: AgentResyncReason };

/**
 * One project's event relay: a single upstream GET /event to opencode shared by every client,
 * each frame given an API id and kept in a ring buffer for Last-Event-ID replay. When the
 * upstream was down (drop, or closed for lack of clients) a `resync` is put in the stream:
 * opencode's own stream cannot resume, so whoever was listening before the gap must re-read.
 */
export class ProjectEventRelay {
  private readonly buffer: RingBuffer<AgentEvent>;
  private readonly clients = new Set<RelayClient>();
  /** Every id up to this one was issued before this relay existed. */
  private readonly baseline: number;
  private upstream: AbortController | undefined;
  private connected = false;
  private everConnected = false;
  private failures = 0;
  /** The last attempt found the project not running (stopped, restarting). */
  private notRunning = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  /** Upstream connections that reached opencode (for tests and diagnostics). */
  connects = 0;
  lastError: string | undefined;

  constructor(readonly projectId: string, private readonly ids: EventIds, private readonly opts: RelayOptions) {
    this.buffer = new RingBuffer(opts.bufferSize, opts.bufferBytes);
    this.baseline = ids.last;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get upstreamOpen(): boolean {
    return this.connected;
  }

  /**
   * Adds a client: first what it missed since `lastEventId` (or a resync), then `ready` once the
   * upstream listens, then every event live. Returns the detach function.
   */
  attach(client: RelayClient, lastEventId?: string): () => void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (lastEventId !== undefined && lastEventId !== '') {
      const replay = this.replaySince(lastEventId);
      if (replay.kind === 'resync') client.send(this.resyncEvent(this.lastId(), replay.reason));
      else for (const e of replay.events) client.send(e);
    }
    this.clients.add(client);
    if (this.connected) client.send(this.readyEvent());
    else this.ensureUpstream();
    return () => this.detach(client);
  }

  /** Stops listening upstream at once (server shutdown). */
  close(): void {
    clearTimeout(this.graceTimer);
    clearTimeout(this.retryTimer);
    this.graceTimer = undefined;
    this.retryTimer = undefined;
    this.clients.clear();
    this.upstream?.abort(new Error('relay closed'));
  }

  replaySince(raw: string): Replay {
    if (!/^[0-9]{1,16}$/.test(raw)) return { kind: 'resync', reason: 'unknown_id' };
    const id = Number(raw);
    if (id < this.ids.firstId - 1) return { kind: 'resync', reason: 'api_restarted' };
    if (id > this.ids.last || id < this.baseline) return { kind: 'resync', reason: 'unknown_id' };
    if (id < this.buffer.evictedUpTo) return { kind: 'resync', reason: 'too_old' };
    return { kind: 'replay', events: this.buffer.after(id) };
  }

  private detach(client: RelayClient): void {
    if (!this.clients.delete(client) || this.clients.size > 0) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      if (this.clients.size > 0) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      // Not listening from here on, even before the abort settles: a client arriving now waits for a fresh `ready`.
      this.connected = false;
      this.upstream?.abort(new Error('no clients left'));
    }, this.opts.graceMs);
    this.graceTimer.unref();
  }

  private lastId(): number {
    return this.buffer.last()?.id ?? this.baseline;
  }

  private publish(type: string, properties: unknown, size: number): void {
    const event: AgentEvent = { id: this.ids.issue(), at: new Date().toISOString(), type, properties };
    this.buffer.push(event, size);
    for (const c of this.clients) c.send(event);
  }

  private resyncEvent(id: number, reason: AgentResyncReason): AgentEvent {
    return { id, at: new Date().toISOString(), type: 'resync', properties: { reason, message: RESYNC_MESSAGES[reason] } };
  }

  /** Not buffered: its id is the last one issued, so a reconnect from it replays what follows. */
  private readyEvent(): AgentEvent {
    return { id: this.lastId(), at: new Date().toISOString(), type: 'ready', properties: { upstream: 'connected' } };
  }

  private ensureUpstream(): void {
    if (this.upstream || this.retryTimer) return;
    const controller = new AbortController();
    this.upstream = controller;
    void this.listen(controller).finally(() => {
      this.connected = false;
      if (this.upstream === controller) this.upstream = undefined;
      if (this.clients.size === 0) return;
      // A stopped project is a cheap row read away from running again: look often, without backoff.
      let delay = this.opts.notRunningPollMs;
      if (!this.notRunning) {
        delay = Math.min(this.opts.backoff.maxMs, this.opts.backoff.initialMs * 2 ** Math.min(this.failures, 16));
        this.failures++;
      }
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.clients.size > 0) this.ensureUpstream();
      }, delay * (0.8 + Math.random() * 0.4));
      this.retryTimer.unref();
    });
  }

  private async listen(controller: AbortController): Promise<void> {
    const { signal } = controller;
    let stall: NodeJS.Timeout | undefined;
    const armStall = (ms: number, why: string) => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(new Error(why)), ms);
      stall.unref();
    };
    this.notRunning = false;
    try {
      const target = await this.opts.target(this.projectId);
      armStall(this.opts.connectTimeoutMs, `no answer within ${this.opts.connectTimeoutMs} ms`);
      const res = await fetch(`${target.baseUrl}/event`, {
        headers: { Authorization: basicAuth(target.password), Accept: 'text/event-stream' }, signal,
      });
      if (res.status !== 200 || !res.body) throw new Error(`GET /event answered HTTP ${res.status}`);
      // opencode sends `data:` frames only; the same SSE parser as the extension's (eventsource-parser).
      const decoder = new TextDecoder();
      const parser = createParser({ onEvent: (e) => this.onFrame(e.data) });
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the agent ended its event stream');
        armStall(this.opts.stallMs, `no data for ${this.opts.stallMs} ms`);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch (err) {
      this.notRunning = err instanceof HttpError && err.code === 'project_not_running';
      if (err instanceof HttpError && err.status === 404) {
        for (const c of [...this.clients]) c.end();
        this.clients.clear();
      }
      const reason: unknown = signal.aborted ? signal.reason : err;
      this.lastError = reason instanceof Error ? ((reason.cause as Error | undefined)?.message ?? reason.message) : String(reason);
      if (this.clients.size > 0) this.warnInterrupted(this.lastError);
    } finally {
      clearTimeout(stall);
      if (!signal.aborted) controller.abort();
    }
  }

  /** Once per minute and error (a stopped project is polled every second): repeats are counted, not written. */
  private warnInterrupted(error: string): void {
    const admitted = this.warnings.admit(error);
    if (!admitted) return;
    const fields = { projectId: this.projectId, error, ...(admitted.held ? { repeatedSinceLastLine: admitted.held } : {}) };
    if (this.notRunning) this.opts.log.info('agent event stream waits for the project to run', fields);
    else this.opts.log.warn('agent event stream interrupted', fields);
  }

  private readonly warnings = new RepeatLimiter();

  private onFrame(data: string): void {
    let parsed: { type?: unknown; properties?: unknown };
    try {
      parsed = JSON.parse(data) as typeof parsed;
    } catch {
      this.opts.log.warn('agent sent an event that is not JSON; dropped', { projectId: this.projectId, bytes: data.length });
      return;
    }
    if (typeof parsed.type !== 'string' || parsed.type === '') return;
    if (!this.connected) this.onConnected();
    if (DROPPED_TYPES.has(parsed.type)) return;
    this.publish(parsed.type, parsed.properties ?? {}, data.length);
    // After POST /instance/dispose (a provider or permission change, liveUpdate.ts) opencode keeps this
    // stream open but sends nothing more: listen again at once; clients get a resync for the gap.
    if (parsed.type === 'server.instance.disposed') this.upstream?.abort(new Error('the agent reloaded its instance'));
  }

  /** The first frame of a connection: from here on nothing is missed. */
  private onConnected(): void {
    this.connected = true;
    this.connects++;
    this.failures = 0;
    this.lastError = undefined;
    this.warnings.reset('');
    if (this.everConnected) {
      const id = this.ids.issue();
      const event = this.resyncEvent(id, 'agent_stream_gap');
      this.buffer.push(event);
      for (const c of this.clients) c.send(event);
    }
    this.everConnected = true;
    for (const c of this.clients) c.send(this.readyEvent());
  }
}

/** Every project's relay, created on first use and kept (with its buffer) for the process lifetime. */
export class AgentEventRelays {
  private readonly relays = new Map<string, ProjectEventRelay>();
  readonly ids = new EventIds();

  constructor(private readonly opts: RelayOptions) {}

  get(projectId: string): ProjectEventRelay {
    let relay = this.relays.get(projectId);
    if (!relay) {
      relay = new ProjectEventRelay(projectId, this.ids, this.opts);
      this.relays.set(projectId, relay);
    }
    return relay;
  }

  /** What tests and diagnostics may look at; undefined when nobody ever listened. */
  stats(projectId: string): { clients: number; upstreamOpen: boolean; connects: number; lastError: string | undefined } | undefined {
    const r = this.relays.get(projectId);
    return r && { clients: r.clientCount, upstreamOpen: r.upstreamOpen, connects: r.connects, lastError: r.lastError };
  }

  /** A deleted project: drop its relay and buffer. */
  forget(projectId: string): void {
    this.relays.get(projectId)?.close();
    this.relays.delete(projectId);
  }

  close(): void {
    for (const r of this.relays.values()) r.close();
  }
}
