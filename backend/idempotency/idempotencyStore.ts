import type { Db } from '../db/database';
import type { IdempotencyKeysTable } from '../db/schema';

/** How long a key answers with its first result. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string | null;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'done'; answer: StoredAnswer }
  | { kind: 'busy' }
  | { kind: 'mismatch' };

export interface IdempotencyOptions {
  /** How long a pending claim is held before another process may take it over (a crash mid-request). */
  leaseMs: number;
  now?: () => number;
}

/**
 * The idempotency_keys table: claim a (user, key) before running the request, then record its
 * answer or release the claim. Dialect-neutral (plain inserts with ON CONFLICT DO NOTHING and
 * compare-and-set updates), so several API replicas on one database agree on who runs a key.
 */
export class IdempotencyStore {
  private lastPurge = 0;
  private readonly now: () => number;

  constructor(private readonly db: Db, private readonly opts: IdempotencyOptions) {
    this.now = opts.now ?? Date.now;
  }

  async claim(userId: string, key: string, fingerprint: string): Promise<Claim> {
    await this.purgeNowAndThen();
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.now();
      const inserted = await this.db.insertInto('idempotency_keys').values({
        user_id: userId, key, fingerprint, state: 'pending', status: null, content_type: null, body: null,
        locked_until: iso(now + this.opts.leaseMs), created_at: iso(now),
      }).onConflict((oc) => oc.columns(['user_id', 'key']).doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed' };
      const row = await this.db.selectFrom('idempotency_keys').selectAll()
        .where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
      if (!row) continue; // released meanwhile: try the insert again
      if (row.created_at < iso(now - KEY_TTL_MS)) {
        await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key)
          .where('created_at', '=', row.created_at).execute();
        continue;
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.state === 'done') return { kind: 'done', answer: answerOf(row) };
      if (row.locked_until >= iso(now)) return { kind: 'busy' };
      // The process that claimed it is gone (its lease ran out): take it over, unless another one just did.
      const taken = await this.db.updateTable('idempotency_keys').set({ locked_until: iso(now + this.opts.leaseMs) })
        .where('user_id', '=', userId).where('key', '=', key).where('state', '=', 'pending')
        .where('locked_until', '=', row.locked_until).executeTakeFirst();
      return Number(taken.numUpdatedRows) === 1 ? { kind: 'claimed' } : { kind: 'busy' };
    }
    return { kind: 'busy' };
  }

  async complete(userId: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.db.updateTable('idempotency_keys')
      .set({ state: 'done', status: answer.status, content_type: answer.contentType, body: answer.body })
      .where('user_id', '=', userId).where('key', '=', key).where('state', '=', 'pending').execute();
  }

  /** The request failed: nothing was done, so the next attempt with this key runs it again. */
  async release(userId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys')
      .where('user_id', '=', userId).where('key', '=', key).where('state', '=', 'pending').execute();
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = this.now();
    if (now - this.lastPurge < 10 * 60 * 1000) return;
    this.lastPurge = now;
    await this.db.deleteFrom('idempotency_keys').where('created_at', '<', iso(now - KEY_TTL_MS)).execute();
  }
}

function answerOf(row: IdempotencyKeysTable): StoredAnswer {
  return { status: row.status ?? 200, contentType: row.content_type, body: row.body };
}

const iso = (ms: number) => new Date(ms).toISOString();
