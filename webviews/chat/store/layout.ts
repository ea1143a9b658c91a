// Which rows of a virtualised list are visible. Heights are measured once rendered and cached by
// row key; rows never measured use an estimate. Plain arithmetic, no DOM: unit-tested in node.

export class HeightCache {
  private readonly heights = new Map<string, number>();
  private offsets: Float64Array = new Float64Array(1);
  private keys: readonly string[] = [];
  private dirty = true;

  constructor(private readonly estimate: (key: string) => number = () => 80) {}

  /** The rows, in order. Cheap to call on every render: it only marks the offsets stale. */
  setKeys(keys: readonly string[]): void {
    if (keys !== this.keys) {
      this.keys = keys;
      this.dirty = true;
    }
  }

  /** Records a measured height; true when it changed (the caller re-lays out). */
  measure(key: string, height: number): boolean {
    const h = Math.max(1, Math.round(height));
    if (this.heights.get(key) === h) return false;
    this.heights.set(key, h);
    this.dirty = true;
    return true;
  }

  heightOf(key: string): number {
    return this.heights.get(key) ?? this.estimate(key);
  }

  /** Forgets rows that are gone (a deleted session), so the cache does not grow without bound. */
  prune(keep: ReadonlySet<string>): void {
    for (const k of this.heights.keys()) if (!keep.has(k)) this.heights.delete(k);
  }

  get total(): number {
    this.layout();
    return this.offsets[this.keys.length] ?? 0;
  }

  /** The y of row i's top edge. */
  offsetOf(i: number): number {
    this.layout();
    return this.offsets[Math.max(0, Math.min(i, this.keys.length))] ?? 0;
  }

  /** The row at y (the last row when y is past the end). */
  indexAt(y: number): number {
    this.layout();
    const n = this.keys.length;
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rows [start, end) that intersect [scrollTop, scrollTop + viewport], plus `overscan` px each side. */
  window(scrollTop: number, viewport: number, overscan = 600): { start: number; end: number } {
    const n = this.keys.length;
    if (n === 0) return { start: 0, end: 0 };
    const start = this.indexAt(Math.max(0, scrollTop - overscan));
    const end = Math.min(n, this.indexAt(scrollTop + viewport + overscan) + 1);
    return { start, end };
  }

  private layout(): void {
    if (!this.dirty) return;
    const n = this.keys.length;
    if (this.offsets.length < n + 1) this.offsets = new Float64Array(Math.max(n + 1, this.offsets.length * 2));
    let y = 0;
    for (let i = 0; i < n; i++) {
      this.offsets[i] = y;
      y += this.heightOf(this.keys[i]!);
    }
    this.offsets[n] = y;
    this.dirty = false;
  }
}

/** Within this many px of the bottom counts as "at the bottom" (stick while streaming). */
export const STICK_THRESHOLD = 40;

export function isAtBottom(scrollTop: number, viewport: number, total: number): boolean {
  return total - (scrollTop + viewport) <= STICK_THRESHOLD;
}
