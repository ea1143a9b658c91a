// What grew between two V8 heap snapshots (the soak's warm.heapsnapshot and end.heapsnapshot):
// objects counted and sized by constructor name, the largest growth first.
//
//   node --import tsx test/bench/heapDiff.ts <before.heapsnapshot> <after.heapsnapshot> [top=25]
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Tally { count: number; bytes: number }

/** Count and self size per "type:name" (objects by constructor, strings and code by kind). */
export function tallies(file: string): Map<string, Tally> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, Tally>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]!]! : `(${type})`;
    const key = `${type}:${name.slice(0, 80)}`;
    const t = out.get(key) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, t);
  }
  return out;
}

function main(): void {
  const [beforeFile, afterFile, top = '25'] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: heapDiff.ts <before.heapsnapshot> <after.heapsnapshot> [top]');
  const before = tallies(beforeFile);
  const after = tallies(afterFile);
  const total = (m: Map<string, Tally>) => [...m.values()].reduce((s, t) => s + t.bytes, 0);
  console.log(`heap: ${(total(before) / 1048576).toFixed(1)} MB -> ${(total(after) / 1048576).toFixed(1)} MB`);
  const rows = [...after.entries()].map(([key, a]) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: a.count - b.count, bytes: a.bytes - b.bytes, now: a.count };
  }).sort((x, y) => y.bytes - x.bytes).slice(0, Number(top));
  for (const r of rows) console.log(`${(r.bytes / 1024).toFixed(0).padStart(8)} KB ${String(r.count).padStart(8)} objects (now ${r.now})  ${r.key}`);
}

main();
