// `npm run bench`, last step: this run's figures (dist/bench/results.jsonl) as docs/benchmarks.json and a
// Markdown table in docs/benchmarks.md, with the machine and versions, each figure beside its baseline and
// target, so a regression shows in review.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_FILE, type Figure } from './results';

const ROOT = path.resolve(__dirname, '../..');

function version(pkg: string): string {
  try {
    const file = path.join(ROOT, 'node_modules', pkg, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return 'absent';
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    opencode: version('opencode-ai'),
    git: tool('git', ['--version']).replace('git version ', ''),
    loadAverageAtEnd: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

const num = (v: number, unit: string) => {
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`;
};

export function markdown(figures: Figure[], m: ReturnType<typeof machine>, when: string): string {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${when}. Each figure beside its baseline from the same run.`,
    '',
    `Machine: ${m.cpu}, ${m.memory}, ${m.os}; Node ${m.node}, opencode ${m.opencode}, git ${m.git};`
      + ` load average at the end ${m.loadAverageAtEnd}.`,
    '',
  ];
  for (const suite of [...new Set(figures.map((f) => f.suite))]) {
    lines.push(`## ${suite}`, '', '| figure | baseline (same run) | Hangar | ratio | target | met |', '|---|---|---|---|---|---|');
    for (const f of figures.filter((x) => x.suite === suite)) {
      const base = f.baseline ? `${f.baseline.name}: ${num(f.baseline.value, f.unit)}` : '—';
      const ratio = f.baseline && f.baseline.value !== 0 ? `×${(f.value / f.baseline.value).toFixed(2)}` : '—';
      const met = f.met === undefined ? '—' : f.met ? 'yes' : '**no**';
      lines.push(`| ${f.name} | ${base} | ${num(f.value, f.unit)} | ${ratio} | ${f.target ?? '—'} | ${met} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * `--merge` (npm run bench:fleet): this run's suites replace the same suites in docs/benchmarks.json and
 * the other suites stay as the last full run wrote them (each figure keeps its own `at`).
 */
function kept(docs: string, fresh: Figure[]): Figure[] {
  const file = path.join(docs, 'benchmarks.json');
  if (!process.argv.includes('--merge') || !fs.existsSync(file)) return [];
  const suites = new Set(fresh.map((f) => f.suite));
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { figures: Figure[] }).figures.filter((f) => !suites.has(f.suite));
}

function main(): void {
  if (!fs.existsSync(RESULTS_FILE)) throw new Error(`no results at ${RESULTS_FILE}: run the benchmarks first`);
  const fresh = fs.readFileSync(RESULTS_FILE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Figure);
  const when = new Date().toISOString();
  const m = machine();
  const docs = path.join(ROOT, 'docs');
  fs.mkdirSync(docs, { recursive: true });
  const figures = [...kept(docs, fresh), ...fresh];
  fs.writeFileSync(path.join(docs, 'benchmarks.json'), JSON.stringify({ when, machine: m, figures }, null, 2) + '\n');
  fs.writeFileSync(path.join(docs, 'benchmarks.md'), markdown(figures, m, when));
  console.log(`bench: ${figures.length} figures → docs/benchmarks.md, docs/benchmarks.json`);
}

if (require.main === module) main();
