import type { HangarEvent, HangarEventData, HangarEventType } from '../contract';
import { EventIds } from './eventIds';
import { RingBuffer } from './ringBuffer';

type Listener = (event: HangarEvent) => void;

interface UserChannel {
  /** Its evictedUpTo is the highest id dropped from this user's buffer: a client behind it has missed events. */
  buffer: RingBuffer<HangarEvent>;
  listeners: Set<Listener>;
}

export type ReplayResult = { kind: 'replay'; events: HangarEvent[] } | { kind: 'resync'; reason: string };

/**
 * One event stream per user. Ids come from the API's one allocator (eventIds.ts): monotonic
 * across the whole process, starting at the wall-clock millisecond of start-up, so ids from
 * before a restart get an explicit resync instead of a silent gap.
 */
export class EventHub {
  private readonly ids: EventIds;
  private readonly channels = new Map<string, UserChannel>();
  private readonly observers = new Set<(userId: string, event: HangarEvent) => void>();
  private readonly followers = new Set<(userId: string, event: HangarEvent) => void>();

  constructor(private readonly bufferSize: number, now: () => number = Date.now) {
    this.ids = new EventIds(now);
  }

  get firstId(): number {
    return this.ids.firstId;
  }

  /** The newest id this process has delivered (a resync event carries it). */
  get lastIssuedId(): number {
    return this.ids.last;
  }

  /** Sends the event to the user's streams (and observers); its id is issued here, or by the database (sharedEventHub.ts). */
  publish<T extends HangarEventType>(userId: string, type: T, data: HangarEventData<T>): void {
    const event = { id: this.ids.issue(), at: new Date().toISOString(), type, data } as HangarEvent;
    this.deliver(userId, event);
    this.tellObservers(userId, event);
  }

  /** Starts what feeds the hub from outside the process (none here: see sharedEventHub.ts). */
  async start(): Promise<void> {}

  async close(): Promise<void> {}

  /** To this process's subscribers of the user, in id order, and to its followers. */
  protected deliver(userId: string, event: HangarEvent): void {
    const ch = this.channel(userId);
    ch.buffer.push(event);
    for (const l of ch.listeners) l(event);
    for (const f of this.followers) f(userId, event);
  }

  protected tellObservers(userId: string, event: HangarEvent): void {
    for (const o of this.observers) o(userId, event);
  }

  /**
   * Every user's events published by this process, for services that react to others' (sync re-reads a
   * working agent's git state, the timeline stores what happened): with replicas (sharedEventHub.ts) each
   * event reaches the observers of the one replica that published it, so what they write is written once.
   */
  observe(observer: (userId: string, event: HangarEvent) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Every user's events as this process delivers them, whichever replica published them: for what each
   * replica keeps in memory and must drop when a project changes anywhere (the agent proxy's targets).
   */
  follow(follower: (userId: string, event: HangarEvent) => void): () => void {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  /** What a client that last saw `lastId` must receive to be up to date. */
  async replaySince(userId: string, lastId: number): Promise<ReplayResult> {
    if (!Number.isSafeInteger(lastId) || lastId < this.firstId - 1) {
      return { kind: 'resync', reason: 'the server restarted since your last event' };
    }
    if (lastId > this.lastIssuedId) return { kind: 'resync', reason: 'unknown event id' };
    const ch = this.channel(userId);
    if (lastId < ch.buffer.evictedUpTo) return { kind: 'resync', reason: 'too many events were missed' };
    return { kind: 'replay', events: ch.buffer.after(lastId) };
  }

  subscribe(userId: string, listener: Listener): () => void {
    const ch = this.channel(userId);
    ch.listeners.add(listener);
    return () => ch.listeners.delete(listener);
  }

  listenerCount(userId: string): number {
    return this.channels.get(userId)?.listeners.size ?? 0;
  }

  userIds(): string[] {
    return [...this.channels.keys()];
  }

  private channel(userId: string): UserChannel {
    let ch = this.channels.get(userId);
    if (!ch) {
      ch = { buffer: new RingBuffer<HangarEvent>(this.bufferSize), listeners: new Set() };
      this.channels.set(userId, ch);
    }
    return ch;
  }
}
