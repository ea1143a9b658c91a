// JSON shapes as sets of `path:type` lines, to check that the fleet simulator answers like the real
// opencode (test/integration/fleet/simContract.test.ts): every line of the simulator's shape must be
// in the real one's. Object keys that are ids (`ses_…`, `msg_…`) become `<id>`; array items share `[]`.

const ID_KEY = /^(ses|msg|prt|per|evt)_/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every `path:type` of a JSON value (the root is `$`). */
export function shapeOf(value: unknown, path = '$', into = new Set<string>()): Set<string> {
  const t = typeOf(value);
  into.add(`${path}:${t}`);
  if (t === 'array') for (const item of value as unknown[]) shapeOf(item, `${path}[]`, into);
  if (t === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) shapeOf(v, `${path}.${ID_KEY.test(k) ? '<id>' : k}`, into);
  }
  return into;
}

/** The simulator's shape lines that the real agent never produced (empty: the shapes agree). */
export function notInReal(sim: unknown, real: unknown): string[] {
  const have = shapeOf(real);
  return [...shapeOf(sim)].filter((line) => !have.has(line));
}

/** The union of many values' shapes (e.g. every event of one type). */
export function unionShape(values: unknown[]): Set<string> {
  const all = new Set<string>();
  for (const v of values) shapeOf(v, '$', all);
  return all;
}
