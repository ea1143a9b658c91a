/** A URL- and hostname-safe slug from a project name ("My App!" → "my-app"). */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return base || 'project';
}

/** The n-th candidate for a base slug: slug, slug-2, slug-3…, cut so that it stays 40 characters at most. */
export function slugCandidate(base: string, n: number): string {
  return n <= 1 ? base : `${base.slice(0, 40 - String(n).length - 1).replace(/-+$/g, '')}-${n}`;
}

/** Candidates `from`..`from+count-1` (1 is the base itself): looked up exactly, never with LIKE on a cut slug. */
export function slugCandidates(base: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_v, i) => slugCandidate(base, from + i));
}

/** The first of slug, slug-2, slug-3… not in `taken`. */
export function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const candidate = slugCandidate(base, n);
    if (!taken.has(candidate)) return candidate;
  }
}
