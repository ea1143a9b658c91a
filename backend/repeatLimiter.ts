/**
 * Lets the same message through once per window and counts what it held back, so a loop that fails
 * every second (a chat open on a stopped project) writes one line a minute, not sixty.
 */
export class RepeatLimiter {
  private readonly seen = new Map<string, { at: number; held: number }>();

  constructor(private readonly windowMs = 60_000, private readonly now: () => number = Date.now, private readonly maxKeys = 1000) {}

  /** undefined: hold this one back; otherwise how many repeats were held back since the last one let through. */
  admit(key: string): { held: number } | undefined {
    const t = this.now();
    const last = this.seen.get(key);
    if (last && t - last.at < this.windowMs) {
      last.held++;
      return undefined;
    }
    if (!last && this.seen.size >= this.maxKeys) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { at: t, held: 0 });
    return { held: last?.held ?? 0 };
  }

  /** The condition ended (the stream is back): the next failure is news again. */
  reset(prefix: string): void {
    for (const k of [...this.seen.keys()]) if (k.startsWith(prefix)) this.seen.delete(k);
  }
}
