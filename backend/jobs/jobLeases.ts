import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * One row per background job in `job_leases` (migration 0015): the replica that holds an unexpired
 * lease runs the job. Taking and renewing are one guarded upsert, so two replicas never both hold it.
 */
export class JobLeases {
  constructor(private readonly db: Db, readonly owner: string, private readonly ttlMs: number) {}

  /** Takes the lease if it is free or expired, renews it if it is ours; true when we hold it now. */
  async acquire(name: string, now = Date.now()): Promise<boolean> {
    const row = await this.db.insertInto('job_leases')
      .values({ name, owner: this.owner, expires_at: now + this.ttlMs, acquired_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({
        owner: this.owner,
        expires_at: now + this.ttlMs,
        // Renewing keeps the time it was taken; a takeover starts a new one.
        acquired_at: sql<number>`case when job_leases.owner = ${this.owner} then job_leases.acquired_at else ${now} end`,
      }).where((eb) => eb.or([eb('job_leases.owner', '=', this.owner), eb('job_leases.expires_at', '<', now)])))
      .returning('owner').executeTakeFirst();
    return row?.owner === this.owner;
  }

  /** Gives up our leases (a clean shutdown): another replica takes over at its next try, not after the expiry. */
  async releaseAll(): Promise<void> {
    await this.db.deleteFrom('job_leases').where('owner', '=', this.owner).execute();
  }
}
