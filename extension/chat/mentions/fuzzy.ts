// Fuzzy scoring of one workspace-relative path against a typed query. Every query character must
// appear in order (case-insensitive). A match inside the file name always beats one spread over the
// folders (like VS Code's Quick Open); within a tier, matches at segment starts (`/ . _ -`, camelCase
// humps), consecutive runs and name prefixes score higher; gaps and long paths cost a little.
// Hot path of the @mention picker: no allocation per call, and cheap upper bounds (below) let the
// index skip paths that cannot reach its current top N.

const SLASH = 47; // '/'

/** Characters that start a new "word" in a path. */
function isSeparator(c: number): boolean {
  return c === SLASH || c === 46 /* . */ || c === 95 /* _ */ || c === 45 /* - */ || c === 32 /* space */;
}

function isUpper(c: number): boolean { return c >= 65 && c <= 90; }
function isLowerOrDigit(c: number): boolean { return (c >= 97 && c <= 122) || (c >= 48 && c <= 57); }

const MATCH = 1;
const CONSECUTIVE = 5;
const BOUNDARY = 8;
const CAMEL = 6;
const GAP = 0.25;
/** A name match is in a tier of its own. */
export const IN_NAME = 1000;
const NAME_PREFIX = 20;
const NAME_EXACT = 15;
const LENGTH = 0.02;
/** The most one matched character can add (a boundary; consecutive and boundary exclude each other). */
const PER_CHAR_MAX = MATCH + BOUNDARY;

/**
 * A 32-bit set of the characters a string contains (a–z, 0–9 folded, and `. / _ -`), for a cheap
 * "can this path match at all" test before scoring: (pathMask & queryMask) === queryMask.
 */
export function charMask(lower: string): number {
  let mask = 0;
  for (let i = 0; i < lower.length; i++) mask |= bitOf(lower.charCodeAt(i));
  return mask;
}

function bitOf(c: number): number {
  if (c >= 97 && c <= 122) return 1 << (c - 97); // a–z: bits 0–25
  if (c >= 48 && c <= 57) return 1 << (26 + (c % 3)); // digits share bits 26–28
  if (c === 46) return 1 << 29;
  if (c === SLASH) return 1 << 30;
  if (c === 95 || c === 45) return 1 << 31;
  return 0;
}

/**
 * Score of `q` (lowercase) matched in `lower[from..]`: the tightest window ending at the first
 * complete match (fzf's forward/backward scan), scored left to right. null when it does not match.
 */
export function scoreFrom(q: string, lower: string, original: string, from: number): number | null {
  const qn = q.length;
  let qi = 0;
  let i = from;
  for (; i < lower.length && qi < qn; i++) if (lower.charCodeAt(i) === q.charCodeAt(qi)) qi++;
  if (qi < qn) return null;
  const end = i;
  qi = qn - 1;
  for (i = end - 1; i >= from; i--) {
    if (lower.charCodeAt(i) === q.charCodeAt(qi)) {
      if (--qi < 0) break;
    }
  }
  const start = i;
  let score = 0;
  let prev = -2;
  qi = 0;
  for (i = start; i < end && qi < qn; i++) {
    if (lower.charCodeAt(i) !== q.charCodeAt(qi)) continue;
    let s = MATCH;
    const before = i > 0 ? lower.charCodeAt(i - 1) : SLASH;
    if (i === 0 || isSeparator(before)) s += BOUNDARY;
    else if (i === prev + 1) s += CONSECUTIVE;
    else if (isUpper(original.charCodeAt(i)) && isLowerOrDigit(original.charCodeAt(i - 1))) s += CAMEL;
    score += s;
    prev = i;
    qi++;
  }
  return score - (end - start - qn) * GAP;
}

/** The score of a match inside the file name (tier 1); null when the name does not hold the query. */
export function scoreName(q: string, lower: string, original: string, nameStart: number): number | null {
  if (lower.length - nameStart < q.length) return null;
  const inName = scoreFrom(q, lower, original, nameStart);
  if (inName === null) return null;
  let score = inName + IN_NAME;
  if (lower.startsWith(q, nameStart)) {
    score += lower.length - nameStart === q.length ? NAME_PREFIX + NAME_EXACT : NAME_PREFIX;
  }
  return score - lower.length * LENGTH;
}

/** The score of a match over the whole path (tier 2); null when it does not match. */
export function scoreFull(q: string, lower: string, original: string): number | null {
  const s = scoreFrom(q, lower, original, 0);
  return s === null ? null : s - lower.length * LENGTH;
}

/** The score of a path for a query, higher is better; null when it does not match. */
export function scorePath(q: string, lower: string, original: string, nameStart: number): number | null {
  if (q.length === 0) return -lower.length * LENGTH;
  return scoreName(q, lower, original, nameStart) ?? (nameStart > 0 ? scoreFull(q, lower, original) : null);
}

/**
 * Upper bounds of scoreName / scoreFull from a few numbers the index keeps per path (so the path's
 * string is not even read): a path whose bound is below the worst of the current top N cannot enter it.
 */
export function nameBound(q: string, pathLength: number, nameFirstChar: number, nameLength: number): number {
  let b = IN_NAME + q.length * PER_CHAR_MAX - pathLength * LENGTH;
  if (nameFirstChar === q.charCodeAt(0)) b += nameLength === q.length ? NAME_PREFIX + NAME_EXACT : NAME_PREFIX;
  return b;
}
export function fullBound(q: string, pathLength: number): number {
  return q.length * PER_CHAR_MAX - pathLength * LENGTH;
}

/** Index of the first character of the file name (after the last `/`). */
export function nameStartOf(path: string): number {
  return path.lastIndexOf('/') + 1;
}
