import type { HangarEvent, Me } from '../../backend/contract';
import { ApiClient } from './apiClient';
import { ApiError } from './apiError';
import { nextState, type ConnectionEvent, type ConnectionState } from '../connection/connectionState';
import { EventStream, type EventStreamOptions, type StreamState } from './eventStream';
import type { Fetch } from './fetchTypes';
import { GapWatch } from './gapWatch';
import { HangarStore } from './hangarStore';
import { LogFollower, type LogFollowerOptions } from '../projects/logFollower';
import { ProjectPaging } from '../projects/projectPaging';
import type { Disposable, Logger, SecretStore } from './ports';
import type { SecretRegistry } from './redact';
import { normaliseServerUrl, tokenSecretKey } from './serverUrl';
import { realTimers, type Timers } from './timers';

export interface SessionDeps {
  secrets: SecretStore;
  fetch: Fetch;
  log: Logger;
  secretRegistry: SecretRegistry;
  /** Remembers the server the user chose (a global setting in VS Code). */
  saveServerUrl(url: string): Promise<void>;
  timers?: Timers;
  streamOptions?: { idleTimeoutMs?: number; initialBackoffMs?: number; maxBackoffMs?: number };
}

export interface ConnectionTest {
  url: string;
  version: string;
  user: Me;
  latencyMs: number;
}

/** One server, one token: its API client and event stream. Replaced as a whole on reconnect. */
interface Link {
  url: string;
  token: string;
  api: ApiClient;
  stream: EventStream;
  version: string | undefined;
}

/**
 * The connection to a Hangar server: verifies and stores the token, keeps the event stream running,
 * fills the store and keeps the connection state. No vscode here; the UI listens.
 */
export class HangarSession implements Disposable {
  readonly store = new HangarStore();
  private _state: ConnectionState = { kind: 'disconnected' };
  private link: Link | undefined;
  private readonly listeners = new Set<(s: ConnectionState) => void>();
  private readonly eventListeners = new Set<(e: HangarEvent) => void>();
  private refreshing: Promise<void> | undefined;
  /** The pages of projects loaded (only those are kept), and the link they came from. */
  private readonly projectPaging = new ProjectPaging();
  private pagedLink: Link | undefined;
  private refreshAgain = false;
  private readonly timers: Timers;
  /** What changed on the server while this window could not see it (issue #14): deleted, moved. */
  readonly gaps: GapWatch;

  constructor(private readonly deps: SessionDeps) {
    this.timers = deps.timers ?? realTimers;
    this.gaps = new GapWatch({
      store: this.store,
      state: () => this._state,
      isGone: (id) => this.isGone(id),
      now: () => this.timers.now(),
    });
  }

  get state(): ConnectionState { return this._state; }
  get serverUrl(): string | undefined { return this.link?.url; }

  /** The API client of the current server, or an error telling the user to connect first. */
  get api(): ApiClient {
    if (!this.link) throw new ApiError(0, 'not_connected', 'Not connected to a Hangar server', { method: '-', path: '-' });
    return this.link.api;
  }

  onDidChangeState(listener: (s: ConnectionState) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Every event of the current server's stream, after the store applied it (operation trackers listen here). */
  onDidReceiveEvent(listener: (e: HangarEvent) => void): Disposable {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  /** A follower of one project's container log on the current server (not started). */
  logFollower(projectId: string, handlers: Omit<LogFollowerOptions, 'baseUrl' | 'token' | 'projectId' | 'fetch' | 'timers'>): LogFollower {
    const link = this.link;
    if (!link) throw new ApiError(0, 'not_connected', 'Not connected to a Hangar server', { method: '-', path: '-' });
    return new LogFollower({ ...handlers, baseUrl: link.url, token: link.token, projectId, fetch: this.deps.fetch, timers: this.timers });
  }

  /** The project's relayed agent event stream on the current server (not started). */
  agentEventStream<E>(projectId: string, handlers: Omit<EventStreamOptions<E>, 'baseUrl' | 'token' | 'path' | 'fetch' | 'timers'>): EventStream<E> {
    const link = this.link;
    if (!link) throw new ApiError(0, 'not_connected', 'Not connected to a Hangar server', { method: '-', path: '-' });
    return new EventStream<E>({ ...handlers, baseUrl: link.url, token: link.token, path: ApiClient.agentEventPath(projectId), fetch: this.deps.fetch, timers: this.timers });
  }

  async hasStoredToken(url: string): Promise<boolean> {
    return (await this.deps.secrets.get(tokenSecretKey(url))) !== undefined;
  }

  /** Checks the token with GET /api/me; only a token the server accepts is stored. Throws ApiError. */
  async connect(rawUrl: string, token: string): Promise<Me> {
    const url = normaliseServerUrl(rawUrl);
    this.deps.secretRegistry.add(token);
    const link = this.open(url, token);
    let me: Me;
    try {
      me = await link.api.me();
    } catch (e) {
      if (this.link === link) this.closeLink();
      this.transition({ type: 'disconnect' });
      this.deps.secretRegistry.remove(token);
      throw e;
    }
    await this.deps.secrets.store(tokenSecretKey(url), token);
    await this.deps.saveServerUrl(url);
    if (this.link !== link) return me;
    this.deps.log.info(`connected to ${url} as ${me.username}`);
    this.transition({ type: 'authenticated', user: me, version: link.version });
    link.stream.start();
    void this.refresh();
    return me;
  }

  /** Reconnects with the stored token, if any; an unreachable server is retried in the background. */
  async resume(rawUrl: string): Promise<boolean> {
    const url = normaliseServerUrl(rawUrl);
    const token = await this.deps.secrets.get(tokenSecretKey(url));
    if (!token) return false;
    this.deps.secretRegistry.add(token);
    const link = this.open(url, token);
    try {
      const me = await link.api.me();
      if (this.link !== link) return true;
      this.transition({ type: 'authenticated', user: me, version: link.version });
      void this.refresh();
    } catch (e) {
      if (this.link !== link) return true;
      if (e instanceof ApiError && e.isUnauthorised) {
        this.transition({ type: 'rejected', message: e.message });
        return true;
      }
      this.transition({ type: 'unreachable', reason: e instanceof Error ? e.message : String(e) });
    }
    // The stream doubles as the liveness probe: when it opens, the session catches up.
    link.stream.start();
    return true;
  }

  /** Forgets the server's token (the URL setting stays, to prefill the next connect). */
  async disconnect(): Promise<void> {
    const url = this.link?.url ?? (this._state.kind !== 'disconnected' ? this._state.url : undefined);
    const token = this.link?.token;
    this.closeLink();
    this.store.clear();
    this.transition({ type: 'disconnect' });
    if (url) await this.deps.secrets.delete(tokenSecretKey(url));
    this.deps.secretRegistry.remove(token);
    if (url) this.deps.log.info(`disconnected from ${url}; token removed`);
  }

  /** Whether the server has projects beyond the pages loaded (the Projects view's "Load more" row). */
  get hasMoreProjects(): boolean {
    return this.projectPaging.hasMore;
  }

  /** Loads the next page of projects into the store. */
  async loadMoreProjects(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const more = await this.projectPaging.more(link.api);
    if (this.link === link) this.store.addProjects(more);
  }

  /** Refetches projects and tiers; concurrent calls share one fetch (plus one more if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.fetchAll();
      } while (this.refreshAgain);
    })().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  async testConnection(): Promise<ConnectionTest> {
    const link = this.link;
    if (!link) throw new ApiError(0, 'not_connected', 'Not connected to a Hangar server', { method: '-', path: '-' });
    const started = performance.now();
    const health = await link.api.health();
    const latencyMs = performance.now() - started;
    let user: Me;
    try {
      user = await link.api.me();
    } catch (e) {
      if (e instanceof ApiError && e.isUnauthorised && this.link === link) this.transition({ type: 'rejected', message: e.message });
      throw e;
    }
    link.version = health.version;
    if (this.link === link) {
      if (this._state.kind !== 'connected') {
        this.transition({ type: 'authenticated', user, version: health.version });
        link.stream.reconnectNow();
        void this.refresh();
      } else {
        this.transition({ type: 'authenticated', user, version: health.version });
      }
    }
    return { url: link.url, version: health.version, user, latencyMs };
  }

  /**
   * A sign that the network may be back (the window got focus, the user acted): while the server
   * cannot be reached, try it now instead of at the end of the backoff. Costs nothing when connected.
   */
  probeNow(): void {
    if (this._state.kind === 'offline' || this._state.kind === 'connecting') this.link?.stream.reconnectNow();
  }

  dispose(): void {
    this.gaps.dispose();
    this.closeLink();
    this.listeners.clear();
    this.eventListeners.clear();
  }

  private open(url: string, token: string): Link {
    this.closeLink();
    this.store.clear();
    this.transition({ type: 'connect', url });
    const log = this.deps.log;
    const api = new ApiClient({
      baseUrl: url,
      token,
      fetch: this.deps.fetch,
      onFailure: (f) => log.warn(`${f.method} ${f.path} failed: ${f.status || 'no response'} ${f.code}: ${f.message}`),
    });
    const link: Link = { url, token, api, version: undefined, stream: undefined as unknown as EventStream };
    link.stream = new EventStream({
      baseUrl: url,
      token,
      fetch: this.deps.fetch,
      timers: this.timers,
      ...SERVER_STREAM_BACKOFF,
      ...this.deps.streamOptions,
      onEvent: (event) => {
        if (this.link !== link) return;
        log.debug(`event ${event.id} ${event.type}`);
        if (this.store.apply(event)) {
          log.info(`server asked for a resync (${event.type === 'resync' ? event.data.reason : ''}); refetching`);
          void this.refresh();
        }
        for (const l of [...this.eventListeners]) l(event);
      },
      onState: (s) => { if (this.link === link) this.onStreamState(link, s); },
      onLog: (level, message) => log[level](message),
    });
    this.link = link;
    return link;
  }

  private onStreamState(link: Link, s: StreamState): void {
    switch (s.kind) {
      case 'open':
        this.deps.log.info(s.reconnected ? 'event stream reconnected; refetching' : 'event stream open');
        if (this._state.kind !== 'connected') void this.reauthenticate(link);
        if (s.reconnected || this.store.projectsLoad.kind !== 'loaded') void this.refresh();
        break;
      case 'waiting':
        this.transition(this._state.kind === 'connected'
          ? { type: 'streamLost' }
          : { type: 'unreachable', reason: s.reason, retryInMs: s.delayMs });
        break;
      case 'unauthorised':
        this.deps.log.warn(`event stream: ${s.message}`);
        this.transition({ type: 'rejected', message: s.message });
        break;
      default:
        break;
    }
  }

  private async reauthenticate(link: Link): Promise<void> {
    try {
      const me = await link.api.me();
      if (this.link === link) this.transition({ type: 'authenticated', user: me, version: link.version });
    } catch (e) {
      if (this.link !== link) return;
      if (e instanceof ApiError && e.isUnauthorised) {
        link.stream.stop();
        this.transition({ type: 'rejected', message: e.message });
      }
    }
  }

  private async fetchAll(): Promise<void> {
    const link = this.link;
    if (!link) return;
    // Revalidate (If-None-Match) only while the store holds what the last fetch of this link returned.
    const revalidate = this.store.projectsLoad.kind === 'loaded' && this.pagedLink === link;
    this.pagedLink = link;
    this.store.beginLoad();
    const [projects, tiers] = await Promise.all([
      this.projectPaging.first(link.api, revalidate)
        .then((p) => (p === 'unchanged' ? this.store.projects : p))
        .catch((e: unknown) => ({ error: errorText(e) })),
      link.api.tiers().catch((e: unknown) => ({ error: errorText(e) })),
    ]);
    if (this.link !== link) return;
    this.store.finishLoad({ projects, tiers }, this.timers.now());
  }

  /** The server answers 404 for the project: it was deleted. */
  private async isGone(projectId: string): Promise<boolean> {
    try {
      await this.link?.api.project(projectId);
      return false;
    } catch (e) {
      return e instanceof ApiError && e.status === 404;
    }
  }

  private closeLink(): void {
    this.link?.stream.stop();
    this.link = undefined;
  }

  private transition(event: ConnectionEvent): void {
    const before = this._state;
    this._state = nextState(before, event);
    if (this._state === before) return;
    if (before.kind !== this._state.kind) this.deps.log.info(`connection: ${before.kind} → ${this._state.kind}`);
    this.gaps.stateChanged(before, this._state);
    for (const l of [...this.listeners]) l(this._state);
  }
}

/**
 * The server's event stream is the only liveness signal (no ping loop while online). Offline it is
 * retried with jitter, capped low: the views say "online" within about a second of the API answering
 * again (issue #14), at the cost of one refused connection a second while it is down.
 */
export const SERVER_STREAM_BACKOFF = { initialBackoffMs: 250, maxBackoffMs: 1_000 } as const;

function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (${e.status} ${e.code})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

