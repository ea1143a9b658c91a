// `npm run bench`: VS Code's own activation figure for the packaged Hangar (test/bench/activation.mjs: the .vsix
// in code-server, each window's Running Extensions read, median of the windows), beside the figures of Git, a
// trivial extension and an empty one started just before Hangar in the same windows, the extension host's
// memory over windows without Hangar, and the size of the entry bundle VS Code loads at activation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { atMost, record } from './results';

const ROOT = path.resolve(__dirname, '../..');
const WINDOWS = Number(process.env.BENCH_ACTIVATION_WINDOWS ?? 5);

interface Side {
  hangarMs: number; gitMs: number; probeMs: number; emptyMs: number; overEmptyMs: number;
  memoryDeltaMiB: number; rssDeltaMiB: number;
}

async function main(): Promise<void> {
  // The .vsix a user installs: `vsce package` builds the production bundles first (vscode:prepublish).
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const entryKiB = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size / 1024;
  // Imported, not required: activation.mjs is an ES module with a top-level await.
  // @ts-expect-error -- the bench is plain .mjs without type declarations
  const { benchActivation } = await import('./activation.mjs');
  const r = await benchActivation({ vsix: path.join(ROOT, 'dist', 'hangar.vsix'), windows: WINDOWS }) as
    { hangar: Side; none: { gitMs: number; emptyMs: number } };
  const h = r.hangar;
  const suite = 'activation (VS Code\'s Running Extensions figure, packaged .vsix in code-server)';
  const windows = `median of ${WINDOWS} windows`;
  record({ suite, name: `Hangar, ${windows}`, value: h.hangarMs, unit: 'ms',
    baseline: { name: 'built-in Git, same windows', value: h.gitMs }, target: '≤ 30 ms', met: atMost(h.hangarMs, 30) });
  record({ suite, name: `an empty extension started just before Hangar (same batch), ${windows}`, value: h.emptyMs,
    unit: 'ms' });
  record({ suite, name: `a trivial extension (the memory probe), ${windows}`, value: h.probeMs, unit: 'ms' });
  record({ suite, name: `what Hangar adds over the empty extension, median per window`, value: h.overEmptyMs,
    unit: 'ms', target: '≤ 30 ms', met: atMost(h.overEmptyMs, 30) });
  record({ suite, name: 'extension host heap+external after GC, over windows without Hangar', value: h.memoryDeltaMiB,
    unit: 'MiB', target: '≤ +8 MiB', met: atMost(h.memoryDeltaMiB, 8) });
  record({ suite, name: 'extension host resident memory, over windows without Hangar', value: h.rssDeltaMiB,
    unit: 'MiB' });
  record({ suite, name: 'entry bundle loaded at activation (dist/extension.js, production)', value: entryKiB,
    unit: 'KiB', target: '≤ 100 KB', met: atMost(entryKiB * 1024, 100_000) });
  console.log(`\nactivation: Hangar ${h.hangarMs} ms, Git ${h.gitMs} ms, trivial ${h.probeMs} ms, empty just before `
    + `Hangar ${h.emptyMs} ms (Hangar adds ${h.overEmptyMs} ms); heap ${h.memoryDeltaMiB.toFixed(1)} MiB over no `
    + `Hangar; entry ${entryKiB.toFixed(1)} KiB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
