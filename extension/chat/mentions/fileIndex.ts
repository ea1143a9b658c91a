// The in-memory index of workspace files behind the @mention picker. Everything a query needs is
// precomputed per path (lowercase copy, file-name offset, a character mask), a query scans the
// masks, scores the survivors (fuzzy.ts) and keeps the best N in a small heap (topN.ts). While the
// user types (each query extends the last), only the previous query's matches are scanned again.
import { charMask, fullBound, IN_NAME, nameBound, nameStartOf, scoreFull, scoreName } from './fuzzy';
import { TopN } from './topN';

export interface IndexHit { path: string; score: number }

/** Open editors and the like: ranked a little higher, and first for an empty query. */
const BOOST = 12;
/** Bounds and scores add the same terms in a different order: keep exact ties (float rounding). */
const EPSILON = 1e-6;

/** `src/App.ts#L3`, `./src/app.ts`, `\src\app` → the part that is matched against paths, lowercased. */
export function normaliseQuery(raw: string): string {
  let q = raw.trim();
  const hash = q.indexOf('#');
  if (hash >= 0) q = q.slice(0, hash);
  q = q.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\s+/g, '');
  return q.toLowerCase();
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long.charCodeAt(j) === short.charCodeAt(i)) i++;
  return i === short.length;
}

export class FileIndex {
  private paths: string[] = [];
  private lowers: string[] = [];
  // Typed arrays: the masks use all 32 bits, which plain arrays would store as boxed doubles.
  private nameStarts = new Int32Array(1024);
  private masks = new Int32Array(1024);
  private nameMasks = new Int32Array(1024);
  /** per path: its length, its name's length and the name's first character (lowercase), for the bounds */
  private lengths = new Int32Array(1024);
  private nameLengths = new Int32Array(1024);
  private nameFirst = new Uint16Array(1024);
  private alive = new Uint8Array(1024);
  private byPath = new Map<string, number>();
  private dead = 0;
  private generation = 0;
  private boost = new Set<number>();
  private boostPaths: readonly string[] = [];
  private last: { q: string; generation: number; matches: Int32Array } | undefined;
  /** Scratch buffers (typed arrays: pushing 100,000 ids onto plain arrays costs more than the scan). */
  private buffers: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  private pathOnlyBuffer = new Int32Array(0);
  /** The answer to a bare `@` (open editors, then the shortest paths) until the index changes. */
  private emptyAnswer: { generation: number; limit: number; hits: IndexHit[] } | undefined;

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.add(p);
  }

  get size(): number { return this.byPath.size; }

  has(path: string): boolean { return this.byPath.has(path); }

  /** Every indexed path (unordered). */
  all(): string[] { return [...this.byPath.keys()]; }

  add(path: string): boolean {
    if (!path || this.byPath.has(path)) return false;
    const id = this.paths.length;
    const lower = path.toLowerCase();
    if (id === this.masks.length) this.grow();
    this.paths.push(path);
    this.lowers.push(lower);
    this.nameStarts[id] = nameStartOf(path);
    this.masks[id] = charMask(lower);
    this.nameMasks[id] = charMask(lower.slice(this.nameStarts[id]!));
    this.lengths[id] = lower.length;
    this.nameLengths[id] = lower.length - this.nameStarts[id]!;
    this.nameFirst[id] = lower.charCodeAt(this.nameStarts[id]!) || 0;
    this.alive[id] = 1;
    this.byPath.set(path, id);
    if (this.boostPaths.includes(path)) this.boost.add(id);
    this.generation++;
    return true;
  }

  remove(path: string): boolean {
    const id = this.byPath.get(path);
    if (id === undefined) return false;
    this.byPath.delete(path);
    this.alive[id] = 0;
    this.boost.delete(id);
    this.dead++;
    this.generation++;
    if (this.dead > 1000 && this.dead > this.paths.length / 4) this.compact();
    return true;
  }

  /** Removes a folder's files (a deleted or newly ignored folder); `dir` without a trailing slash. */
  removeUnder(dir: string): number {
    const prefix = `${dir}/`;
    let n = 0;
    for (const p of [...this.byPath.keys()]) if (p.startsWith(prefix) && this.remove(p)) n++;
    return n;
  }

  replaceAll(paths: Iterable<string>): void {
    this.paths = []; this.lowers = [];
    this.nameStarts = new Int32Array(1024); this.masks = new Int32Array(1024); this.nameMasks = new Int32Array(1024);
    this.lengths = new Int32Array(1024); this.nameLengths = new Int32Array(1024); this.nameFirst = new Uint16Array(1024); this.alive = new Uint8Array(1024);
    this.byPath = new Map();
    this.boost = new Set();
    this.dead = 0;
    for (const p of paths) this.add(p);
    this.setBoost(this.boostPaths);
    this.generation++;
  }

  /** Paths to rank a little higher (open editors); they also lead an empty query. */
  setBoost(paths: readonly string[]): void {
    this.boostPaths = [...paths];
    this.boost = new Set(paths.flatMap((p) => { const id = this.byPath.get(p); return id === undefined ? [] : [id]; }));
    this.generation++;
  }

  /** The best `limit` paths for the query, best first. */
  query(raw: string, limit: number): IndexHit[] {
    const q = normaliseQuery(raw);
    const top = new TopN(limit, (a, b) => (this.paths[a]! < this.paths[b]! ? -1 : this.paths[a]! > this.paths[b]! ? 1 : 0));
    const { paths, lowers, nameStarts, masks, alive, boost } = this;
    const boosted = boost.size > 0;
    if (q.length === 0) {
      const cached = this.emptyAnswer;
      if (cached && cached.generation === this.generation && cached.limit === limit) return cached.hits.map((h) => ({ ...h }));
      for (let id = 0; id < paths.length; id++) {
        if (!alive[id]) continue;
        const s = -this.lengths[id]! * 0.02 + (boosted && boost.has(id) ? BOOST * 10 : 0);
        if (s + EPSILON < top.threshold()) continue;
        top.push(s, id, this.lengths[id]!);
      }
      const hits = this.hits(top);
      this.emptyAnswer = { generation: this.generation, limit, hits };
      return hits.map((h) => ({ ...h }));
    }
    const qMask = charMask(q);
    const { nameMasks, lengths, nameLengths, nameFirst } = this;
    const reuse = this.last && this.last.generation === this.generation && isSubsequence(this.last.q, q);
    // `matches` may hold more than the true matches (paths skipped by a bound are kept unscored):
    // the next, longer query re-checks them, and it only needs a superset.
    const candidates = reuse ? this.last!.matches : undefined;
    const n = candidates ? candidates.length : paths.length;
    // The previous matches are read while the new ones are written: two buffers, alternating.
    const slot = candidates && candidates.buffer === this.buffers[0].buffer ? 1 : 0;
    if (this.buffers[slot].length < n) this.buffers[slot] = new Int32Array(Math.max(n, 1024));
    if (this.pathOnlyBuffer.length < n) this.pathOnlyBuffer = new Int32Array(Math.max(n, 1024));
    const matches = this.buffers[slot];
    const pathOnly = this.pathOnlyBuffer;
    let matchCount = 0;
    let pathOnlyCount = 0;
    const boostOf = (id: number) => (boosted && boost.has(id) ? BOOST : 0);
    // Names that start like the query first: they usually fill the top N with scores that let the
    // bounds below skip almost every other path without reading it.
    const q0 = q.charCodeAt(0);
    for (let k = 0; k < n; k++) {
      const id = candidates ? candidates[k]! : k;
      if (nameFirst[id] !== q0 || (nameMasks[id]! & qMask) !== qMask || alive[id] === 0) continue;
      const s = scoreName(q, lowers[id]!, paths[id]!, nameStarts[id]!);
      if (s === null) pathOnly[pathOnlyCount++] = id;
      else top.push(s + boostOf(id), id, lengths[id]!);
    }
    // Tier 1: matches inside the file name.
    for (let k = 0; k < n; k++) {
      const id = candidates ? candidates[k]! : k;
      if ((masks[id]! & qMask) !== qMask || alive[id] === 0) continue;
      matches[matchCount++] = id;
      if ((nameMasks[id]! & qMask) !== qMask) { pathOnly[pathOnlyCount++] = id; continue; }
      if (nameFirst[id] === q0) continue; // scored above
      if (nameBound(q, lengths[id]!, nameFirst[id]!, nameLengths[id]!) + boostOf(id) + EPSILON < top.threshold()) continue;
      const s = scoreName(q, lowers[id]!, paths[id]!, nameStarts[id]!);
      if (s === null) { pathOnly[pathOnlyCount++] = id; continue; }
      top.push(s + boostOf(id), id, lengths[id]!);
    }
    // Tier 2: matches spread over the folders, only while the top N is not full of name matches.
    if (top.threshold() < IN_NAME) {
      for (let k = 0; k < pathOnlyCount; k++) {
        const id = pathOnly[k]!;
        if (fullBound(q, lengths[id]!) + boostOf(id) + EPSILON < top.threshold()) continue;
        const s = scoreFull(q, lowers[id]!, paths[id]!);
        if (s !== null) top.push(s + boostOf(id), id, lengths[id]!);
      }
    }
    this.last = { q, generation: this.generation, matches: matches.subarray(0, matchCount) };
    return this.hits(top);
  }

  private hits(top: TopN): IndexHit[] {
    return top.entries()
      .map(({ id, score }) => ({ path: this.paths[id]!, score }))
      .sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private grow(): void {
    const size = this.masks.length * 2;
    const masks = new Int32Array(size); masks.set(this.masks); this.masks = masks;
    const nameMasks = new Int32Array(size); nameMasks.set(this.nameMasks); this.nameMasks = nameMasks;
    const lengths = new Int32Array(size); lengths.set(this.lengths); this.lengths = lengths;
    const nameLengths = new Int32Array(size); nameLengths.set(this.nameLengths); this.nameLengths = nameLengths;
    const nameFirst = new Uint16Array(size); nameFirst.set(this.nameFirst); this.nameFirst = nameFirst;
    const starts = new Int32Array(size); starts.set(this.nameStarts); this.nameStarts = starts;
    const alive = new Uint8Array(size); alive.set(this.alive); this.alive = alive;
  }

  private compact(): void {
    const keep = this.paths.filter((_, i) => this.alive[i] === 1);
    this.replaceAll(keep);
  }
}
