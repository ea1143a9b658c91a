/**
 * A fixed-capacity FIFO of items with increasing numeric ids; the oldest fall off the front when
 * there are `capacity` items or their sizes add up to more than `maxBytes` (the newest always stays).
 */
export class RingBuffer<T extends { id: number }> {
  private readonly items: (T | undefined)[];
  private readonly sizes: number[];
  private start = 0;
  private count = 0;
  private totalBytes = 0;
  /** Highest id that fell off: a reader behind it has missed something. */
  evictedUpTo = 0;

  constructor(readonly capacity: number, readonly maxBytes = Infinity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
    this.sizes = new Array<number>(capacity).fill(0);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.count;
  }

  push(item: T, size = 0): void {
    const last = this.at(this.count - 1);
    if (last && item.id <= last.id) throw new Error(`ids must increase: ${item.id} after ${last.id}`);
    if (this.count === this.capacity) this.dropOldest();
    const slot = (this.start + this.count) % this.capacity;
    this.items[slot] = item;
    this.sizes[slot] = size;
    this.count++;
    this.totalBytes += size;
    while (this.totalBytes > this.maxBytes && this.count > 1) this.dropOldest();
  }

  private dropOldest(): void {
    this.evictedUpTo = this.items[this.start]!.id;
    this.totalBytes -= this.sizes[this.start]!;
    this.items[this.start] = undefined;
    this.sizes[this.start] = 0;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  /** Items with an id greater than `id`, oldest first (binary search: ids need not be dense). */
  after(id: number): T[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid)!.id <= id) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i)!);
    return out;
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  private at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.start + i) % this.capacity];
  }
}
