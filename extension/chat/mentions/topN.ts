// Keeps the N best (score, id) pairs seen so far in a small binary min-heap: O(log N) per insert,
// no sort of the whole candidate list. Ties: the lower `rank` wins (a shorter path), then `tie`.

export class TopN {
  private readonly scores: number[] = [];
  private readonly ids: number[] = [];
  private readonly ranks: number[] = [];

  /** `tie(a, b) < 0`: id a is better than id b when score and rank are equal. */
  constructor(
    private readonly limit: number,
    private readonly tie: (a: number, b: number) => number = (a, b) => a - b,
  ) {}

  get size(): number { return this.ids.length; }

  push(score: number, id: number, rank: number): void {
    if (this.limit <= 0) return;
    if (this.ids.length < this.limit) {
      this.scores.push(score);
      this.ids.push(id);
      this.ranks.push(rank);
      this.up(this.ids.length - 1);
      return;
    }
    // The root is the worst kept entry: replace it only with something better.
    if (!this.better(score, rank, id, this.scores[0]!, this.ranks[0]!, this.ids[0]!)) return;
    this.scores[0] = score;
    this.ids[0] = id;
    this.ranks[0] = rank;
    this.down(0);
  }

  /** The score a new entry must beat to be kept (-Infinity while there is room). */
  threshold(): number {
    return this.ids.length < this.limit ? -Infinity : this.scores[0]!;
  }

  /** The kept entries, in no particular order. */
  entries(): Array<{ id: number; score: number }> {
    return this.ids.map((id, i) => ({ id, score: this.scores[i]! }));
  }

  private better(s1: number, r1: number, id1: number, s2: number, r2: number, id2: number): boolean {
    return s1 > s2 || (s1 === s2 && (r1 < r2 || (r1 === r2 && this.tie(id1, id2) < 0)));
  }

  /** The heap keeps the worst entry at the root. */
  private worse(i: number, j: number): boolean {
    return this.better(this.scores[j]!, this.ranks[j]!, this.ids[j]!, this.scores[i]!, this.ranks[i]!, this.ids[i]!);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
    [this.ids[i], this.ids[j]] = [this.ids[j]!, this.ids[i]!];
    [this.ranks[i], this.ranks[j]] = [this.ranks[j]!, this.ranks[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.ids.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < n && this.worse(l, worst)) worst = l;
      if (r < n && this.worse(r, worst)) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}
