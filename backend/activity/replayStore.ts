import type { Db } from '../db/database';
import { TIMESTAMP_WINDOW_MS } from './signature';

/**
 * Webhook signatures seen within the timestamp window, in the database (migration 0008_notify):
 * a captured request replayed verbatim is refused, also after an API restart. A signature covers
 * its timestamp, and calls older than the window are refused before this is asked, so keeping each
 * signature for twice the window is enough; expired rows are pruned every PRUNE_EVERY inserts, which
 * bounds the table by the traffic of one window.
 */
export class ReplayStore {
  private inserts = 0;

  constructor(private readonly db: Db, private readonly ttlMs = 2 * TIMESTAMP_WINDOW_MS, private readonly pruneEvery = 200) {}

  /** True the first time a signature is seen; false for a replay. */
  async firstSeen(signature: string, now: number): Promise<boolean> {
    if (++this.inserts % this.pruneEvery === 0) await this.prune(now);
    const res = await this.db.insertInto('webhook_replays').values({ signature, expires_at: now + this.ttlMs })
      .onConflict((oc) => oc.column('signature').doUpdateSet({ expires_at: now + this.ttlMs }).where('webhook_replays.expires_at', '<=', now))
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async prune(now: number): Promise<number> {
    const res = await this.db.deleteFrom('webhook_replays').where('expires_at', '<=', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  async size(): Promise<number> {
    const r = await this.db.selectFrom('webhook_replays').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
