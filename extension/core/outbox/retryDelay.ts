/** Backoff with full jitter: 0.5–1 × min(cap, base·2^(attempt−1)), so many clients coming back do not stampede. */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 1000, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
