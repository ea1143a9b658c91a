import { HttpError } from '../errors';

/**
 * At most `max` concurrent things (event streams, device flows…) per user: one more is 429 with
 * a message saying what to close. `acquire` returns an idempotent release.
 */
export class PerUserSlots {
  private readonly inUse = new Map<string, number>();

  constructor(readonly max: number, private readonly what: string, private readonly hint: string) {}

  acquire(userId: string): () => void {
    const n = this.inUse.get(userId) ?? 0;
    if (n >= this.max) {
      throw new HttpError(429, 'too_many_concurrent', `You already have ${n} ${this.what} open, the most one user may have at once. ${this.hint}`, { limit: this.max });
    }
    this.inUse.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inUse.get(userId) ?? 1) - 1;
      if (left <= 0) this.inUse.delete(userId);
      else this.inUse.set(userId, left);
    };
  }

  count(userId: string): number {
    return this.inUse.get(userId) ?? 0;
  }
}
