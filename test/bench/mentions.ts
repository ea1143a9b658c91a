// @mention picker: index build time and per-keystroke query latency on a generated workspace of
// BENCH_MENTION_FILES files (default 100,000) in a temp dir, against a naive baseline measured in the
// same run (score every path, sort everything). `node --import tsx test/bench/mentions.ts`. No assertions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileIndex, normaliseQuery } from '../../extension/chat/mentions/fileIndex';
import { nameStartOf, scorePath } from '../../extension/chat/mentions/fuzzy';
import { GitignoreMatcher } from '../../extension/chat/mentions/gitignore';
import { fmt, percentile } from './stats';
import { record } from './results';

const FILES = Number(process.env.BENCH_MENTION_FILES ?? 100_000);
const LIMIT = 20;

const WORDS = ['user', 'session', 'auth', 'login', 'router', 'store', 'button', 'dialog', 'table', 'chart', 'api', 'client',
  'server', 'config', 'utils', 'format', 'date', 'parser', 'token', 'cache', 'queue', 'worker', 'event', 'stream', 'profile',
  'settings', 'billing', 'invoice', 'payment', 'search', 'index', 'layout', 'theme', 'modal', 'form', 'input', 'select', 'menu'];
const EXT = ['.ts', '.tsx', '.test.ts', '.css', '.md', '.json'];

let seed = 42;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
const camel = (ws: string[]) => ws.map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join('');

/** A monorepo-like tree: packages/<pkg>/src/<area>/<feature>/<name>.<ext>, plus an ignored node_modules. */
function generate(root: string, n: number): { kept: number; ignored: number } {
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\ndist/\n*.log\n');
  const dirs = new Set<string>();
  const write = (rel: string) => {
    const dir = path.dirname(rel);
    if (!dirs.has(dir)) { fs.mkdirSync(path.join(root, dir), { recursive: true }); dirs.add(dir); }
    fs.writeFileSync(path.join(root, rel), '');
  };
  let ignored = 0;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.05) { write(`node_modules/${pick(WORDS)}-${pick(WORDS)}/lib/${pick(WORDS)}${i}.js`); ignored++; continue; }
    if (r < 0.07) { write(`packages/${pick(WORDS)}/dist/${pick(WORDS)}${i}.js`); ignored++; continue; }
    const name = camel([pick(WORDS), pick(WORDS), ...(rnd() < 0.4 ? [pick(WORDS)] : [])]) + (rnd() < 0.5 ? String(i) : `V${i % 97}`);
    write(`packages/${pick(WORDS)}/src/${pick(WORDS)}/${pick(WORDS)}/${name}${pick(EXT)}`);
  }
  return { kept: n - ignored, ignored };
}

/** What workspace.findFiles + the .gitignore filter do: walk, skip ignored folders and files. */
function walk(root: string, ignore: GitignoreMatcher): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { if (!ignore.ignores(p, true)) visit(p); } else if (!ignore.ignores(p)) out.push(p);
    }
  };
  visit('');
  return out;
}

function naive(paths: readonly string[], raw: string): string[] {
  const q = normaliseQuery(raw);
  const scored: Array<{ p: string; s: number }> = [];
  for (const p of paths) {
    const s = scorePath(q, p.toLowerCase(), p, nameStartOf(p));
    if (s !== null) scored.push({ p, s });
  }
  scored.sort((a, b) => b.s - a.s || a.p.length - b.p.length || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  return scored.slice(0, LIMIT).map((x) => x.p);
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN };
}

function main(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-mentions-bench-'));
  try {
    let t = performance.now();
    const generated = generate(root, FILES);
    const genMs = performance.now() - t;

    t = performance.now();
    const ignore = new GitignoreMatcher();
    ignore.add('', fs.readFileSync(path.join(root, '.gitignore'), 'utf8'));
    const paths = walk(root, ignore);
    const walkMs = performance.now() - t;
    t = performance.now();
    const index = new FileIndex(paths);
    const buildMs = performance.now() - t;

    // What people type: a file name in pieces, a folder then a name, an abbreviation.
    const targets = Array.from({ length: 8 }, () => pick(paths));
    const sequences = targets.flatMap((p) => {
      const name = p.slice(p.lastIndexOf('/') + 1).replace(/\..*$/, '');
      const folder = p.split('/')[3]!;
      return [name.slice(0, 14), `${folder}/${name.slice(0, 6)}`];
    });
    sequences.push('usersess', 'authlogin', 'bttndlg');
    const keystrokes = sequences.flatMap((s) => ['', ...Array.from({ length: s.length }, (_, i) => s.slice(0, i + 1))]);

    // Warm both paths once, then measure them over the same keystrokes.
    for (const q of keystrokes.slice(0, 20)) { index.query(q, LIMIT); naive(paths, q); }
    const ours: number[] = [];
    const base: number[] = [];
    let mismatches = 0;
    for (const q of keystrokes) {
      let s = performance.now();
      const a = index.query(q, LIMIT).map((h) => h.path);
      ours.push(performance.now() - s);
      s = performance.now();
      const b = naive(paths, q);
      base.push(performance.now() - s);
      if (a.join('\n') !== b.join('\n')) mismatches++;
    }
    // A file the watcher reports: added, then found by the next keystroke.
    t = performance.now();
    index.add('packages/new/src/brandNewFeature.ts');
    const found = index.query('brandnewfeat', LIMIT)[0]?.path === 'packages/new/src/brandNewFeature.ts';
    const addMs = performance.now() - t;

    const o = stats(ours);
    const b = stats(base);
    // The first keystrokes (`@`, `@x`) scan every path; the later ones narrow the previous answer.
    const first = stats(ours.filter((_, i) => keystrokes[i]!.length <= 1));
    const later = stats(ours.filter((_, i) => keystrokes[i]!.length > 1));
    const rows: [string, string][] = [
      [`workspace generated`, `${generated.kept} files indexed + ${generated.ignored} .gitignored (${(genMs / 1000).toFixed(1)} s to write)`],
      [`index build: walk + .gitignore filter`, fmt(walkMs)],
      [`index build: FileIndex of ${index.size} paths`, fmt(buildMs)],
      [`query per keystroke (index), n=${ours.length}`, `median ${fmt(o.median)}  p95 ${fmt(o.p95)}  max ${fmt(o.max)}`],
      [`query per keystroke (naive: score all, sort)`, `median ${fmt(b.median)}  p95 ${fmt(b.p95)}  max ${fmt(b.max)}`],
      [`  of which @ and the first character (full scan)`, `median ${fmt(first.median)}  p95 ${fmt(first.p95)}`],
      [`  of which the later keystrokes`, `median ${fmt(later.median)}  p95 ${fmt(later.p95)}`],
      [`  ratio naive / index`, `median ×${(b.median / o.median).toFixed(1)}  p95 ×${(b.p95 / o.p95).toFixed(1)}`],
      [`  same top ${LIMIT} as the naive scan`, mismatches === 0 ? 'yes, every keystroke' : `NO: ${mismatches} keystrokes differ`],
      [`new file: add + first query`, `${fmt(addMs)}${found ? '' : ' (NOT found)'}`],
    ];
    record({ suite: '@mentions', name: `index build outside VS Code (walk + index, ${index.size} paths)`,
      value: walkMs + buildMs, unit: 'ms' });
    record({ suite: '@mentions', name: 'query per keystroke, p95', value: o.p95, unit: 'ms',
      baseline: { name: 'naive scan p95', value: b.p95 } });
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\n@mention index (${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs)`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
