import pg from 'pg';
import { sql } from 'kysely';
import type { HangarEvent, HangarEventData, HangarEventType } from '../contract';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { RepeatLimiter } from '../repeatLimiter';
import { EventHub, type ReplayResult } from './eventHub';
import { EventWriteQueue, isTransientDbError, retryDelay, type QueuedEvent } from './eventWriteQueue';

const CHANNEL = 'hangar_events';
/** Every publisher takes this transaction lock: ids are then committed in the order they are issued. */
const ORDER_LOCK = 'hangar:events:order';
const BATCH = 500;

export interface SharedEventOptions {
  /** A catch-up read this often even without a notification (the LISTEN connection can be down). */
  pollMs?: number;
  /** Events older than this are pruned (a client behind them is told to resync). */
  retentionMs?: number;
  /** And at most this many rows are kept. */
  maxRows?: number;
  /** Publishes held in memory while the database is unreachable (past it the oldest become a resync). */
  maxQueued?: number;
  /** The first retry of a failed write waits this long, doubling up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface EventRecord { id: number; user_id: string; type: string; data: string; at: string }

/**
 * The /api/events hub of replicas on one PostgreSQL: `publish` writes the event to the `events`
 * table (the database issues its id: one order for every replica) and NOTIFYs; each replica
 * LISTENs on its own connection, reads the rows after the last one it delivered, in id order, and
 * hands them to its local subscribers. `Last-Event-ID` replay is a query, so it works on any replica.
 */
export class SharedEventHub extends EventHub {
  private lastSeen = 0;
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  /** Publishes of this process, written in call order (a batch per round trip), kept while the database is away. */
  private readonly queue: EventWriteQueue;
  private writing: Promise<void> | undefined;
  /** Cuts a retry's wait short (shutdown). */
  private wake: (() => void) | undefined;
  private closing = false;
  private closed = false;
  /** One warning a minute while the database stays away, with how many were held back. */
  private readonly warnings = new RepeatLimiter();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly pollMs: number;
  readonly retentionMs: number;
  private readonly maxRows: number;

  constructor(
    private readonly replayLimit: number, private readonly db: Db, private readonly url: string,
    private readonly log: Logger, opts: SharedEventOptions = {},
  ) {
    super(replayLimit);
    this.pollMs = opts.pollMs ?? 1000;
    this.retentionMs = opts.retentionMs ?? 60 * 60_000;
    this.maxRows = opts.maxRows ?? 100_000;
    this.queue = new EventWriteQueue(opts.maxQueued ?? 10_000);
    this.retryBaseMs = opts.retryBaseMs ?? 100;
    this.retryMaxMs = opts.retryMaxMs ?? 5_000;
  }

  override get lastIssuedId(): number {
    return this.lastSeen;
  }

  override publish<T extends HangarEventType>(userId: string, type: T, data: HangarEventData<T>): void {
    if (this.closed) return;
    this.queue.push({ userId, type, data: JSON.stringify(data), at: new Date().toISOString() });
    this.writing ??= this.drainWrites().finally(() => { this.writing = undefined; });
  }

  /** Resolves when what this process published so far is in the table (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  override async start(): Promise<void> {
    const row = await this.db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    this.lastSeen = Number(row?.max ?? 0);
    await this.listen();
    this.timer = setInterval(() => this.catchUp(), this.pollMs);
    this.timer.unref();
  }

  override async close(): Promise<void> {
    // One more attempt at what waits; if the database is still away it is lost (and logged).
    this.closing = true;
    this.wake?.();
    await this.flushed();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.reading;
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => {});
  }

  override async replaySince(userId: string, lastId: number): Promise<ReplayResult> {
    if (!Number.isSafeInteger(lastId) || lastId < 0) return { kind: 'resync', reason: 'unknown event id' };
    const bounds = await this.db.selectFrom('events')
      .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).executeTakeFirst();
    const max = Number(bounds?.max ?? 0);
    if (lastId > Math.max(max, this.lastSeen)) return { kind: 'resync', reason: 'unknown event id' };
    if (bounds?.min != null && lastId < Number(bounds.min) - 1) return { kind: 'resync', reason: 'too many events were missed' };
    const rows = await this.db.selectFrom('events').selectAll().where('user_id', '=', userId).where('id', '>', lastId)
      .orderBy('id').limit(this.replayLimit + 1).execute();
    if (rows.length > this.replayLimit) return { kind: 'resync', reason: 'too many events were missed' };
    return { kind: 'replay', events: rows.map(toEvent) };
  }

  /** Deletes events past the retention (age or row count); the newest row always stays (it bounds ids). */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.retentionMs).toISOString();
    const res = await sql<never>`delete from events where id < (select max(id) from events)
      and (at < ${cutoff} or id <= (select max(id) from events) - ${this.maxRows})`.execute(this.db);
    return Number(res.numAffectedRows ?? 0);
  }

  /**
   * Writes the queue in order, a batch per transaction. A batch the database could not take (it is
   * unreachable, restarting, out of connections) goes back to the front and is retried with backoff,
   * so nothing is lost and nothing overtakes it; only an error that would repeat (bad data) drops it.
   */
  private async drainWrites(): Promise<void> {
    let failures = 0;
    while (this.queue.length) {
      const batch = this.queue.take(BATCH);
      try {
        const written = await this.write(batch);
        for (const row of written.sort((a, b) => a.id - b.id)) this.tellObservers(row.user_id, toEvent(row));
        this.catchUp();
        if (failures) this.recovered(failures);
        failures = 0;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (!isTransientDbError(err)) {
          this.log.error('could not store events', { count: batch.length, error });
          continue;
        }
        this.queue.putBack(batch);
        if (this.closing) {
          const count = this.queue.clear();
          this.log.error('events not stored at shutdown: the database is unreachable', { count, error });
          return;
        }
        const admitted = this.warnings.admit('store');
        if (admitted) {
          const held = admitted.held ? { repeatedSinceLastLine: admitted.held } : {};
          const { length: queued, dropped } = this.queue;
          this.log.warn('cannot store events; retrying', { queued, dropped, error, ...held });
        }
        await this.pause(retryDelay(failures++, this.retryBaseMs, this.retryMaxMs));
      }
    }
  }

  private async write(batch: QueuedEvent[]): Promise<EventRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${ORDER_LOCK}, 0))`.execute(trx);
      const rows = await trx.insertInto('events')
        .values(batch.map((e) => ({ user_id: e.userId, type: e.type, data: e.data, at: e.at })))
        .returningAll().execute();
      // Delivered at commit, in commit order; the payload is only a wake-up (rows hold the data).
      await sql`select pg_notify(${CHANNEL}, ${String(rows.at(-1)?.id ?? '')})`.execute(trx);
      return rows;
    });
  }

  private recovered(failures: number): void {
    this.log.info('events stored again', { failedAttempts: failures, dropped: this.queue.dropped });
    this.queue.dropped = 0;
    this.warnings.reset('store');
  }

  private pause(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); resolve(); }
      this.wake = () => { this.wake = undefined; done(); };
    });
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'hangar-api-events' });
    client.on('notification', () => this.catchUp());
    client.on('error', (err) => {
      this.log.warn('event notifications lost; reconnecting', { error: err.message });
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => {});
      setTimeout(() => void this.listen().catch(() => {}), this.pollMs).unref();
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      this.listener = client;
    } catch (err) {
      // The poll delivers meanwhile; try again.
      this.log.warn('cannot listen for events; polling', { error: err instanceof Error ? err.message : String(err) });
      await client.end().catch(() => {});
      setTimeout(() => void this.listen().catch(() => {}), this.pollMs).unref();
    }
  }

  /** Reads and delivers every row after the last delivered one (one reader at a time; a call meanwhile reads again). */
  private catchUp(): void {
    if (this.closed) return;
    if (this.reading) { this.readAgain = true; return; }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        try {
          for (;;) {
            const rows = await this.db.selectFrom('events').selectAll().where('id', '>', this.lastSeen)
              .orderBy('id').limit(BATCH).execute();
            for (const row of rows) {
              this.lastSeen = row.id;
              this.deliver(row.user_id, toEvent(row));
            }
            if (rows.length < BATCH) break;
          }
          this.warnings.reset('read');
        } catch (err) {
          const admitted = this.warnings.admit('read');
          const held = admitted?.held ? { repeatedSinceLastLine: admitted.held } : {};
          const error = err instanceof Error ? err.message : String(err);
          if (admitted) this.log.warn('cannot read events', { error, ...held });
        }
      } while (this.readAgain && !this.closed);
    })().finally(() => { this.reading = undefined; });
  }
}

function toEvent(row: EventRecord): HangarEvent {
  return { id: row.id, at: row.at, type: row.type, data: JSON.parse(row.data) as unknown } as HangarEvent;
}
