// Each benchmark records its figures here, beside the baseline measured in the same run and the target
// from the issue that asked for it; test/bench/report.ts turns one run's records into docs/benchmarks.*.
import fs from 'node:fs';
import path from 'node:path';

export type Unit = 'ms' | 'req/s' | 'MB/s' | 'KiB' | 'MiB' | 'B' | 'count';

export interface Figure {
  suite: string;
  name: string;
  value: number;
  unit: Unit;
  /** The same kind of figure for the thing we compare against, from the same run. */
  baseline?: { name: string; value: number };
  /** What the figure should be, in words a reviewer can check (e.g. "≤ ×1.3 of the baseline"). */
  target?: string;
  /** Whether the target is met; left out when the target is not a number we can check here. */
  met?: boolean;
}

export const RESULTS_FILE = path.resolve(__dirname, '../../dist/bench/results.jsonl');

/** Appends one figure to this run's results (a JSON line; the benchmarks run as separate processes). */
export function record(figure: Figure): void {
  if (!Number.isFinite(figure.value)) throw new Error(`bench: ${figure.suite} / ${figure.name} is not a number`);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.appendFileSync(RESULTS_FILE, JSON.stringify({ ...figure, at: new Date().toISOString() }) + '\n');
}

/** `value ≤ limit` as a figure's `met`, or `value ≥ limit` when higher is better. */
export const atMost = (value: number, limit: number) => value <= limit;
export const atLeast = (value: number, limit: number) => value >= limit;
