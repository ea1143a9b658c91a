// Bench only, never shipped: installed into code-server by test/bench/activation.mjs. After the window's
// start-up activations have settled, collects garbage and writes this extension host's memory to
// $HANGAR_MEMORY_PROBE_DIR/<pid>.json, so windows with and without Hangar compare like for like.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

export function activate() {
  const dir = process.env.HANGAR_MEMORY_PROBE_DIR;
  if (!dir) return;
  const settleMs = Number(process.env.HANGAR_MEMORY_PROBE_SETTLE_MS ?? 8000);
  setTimeout(() => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    for (let i = 0; i < 3; i++) gc();
    const m = process.memoryUsage();
    const file = path.join(dir, `${process.pid}.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, ...m }));
    fs.renameSync(`${file}.tmp`, file);
  }, settleMs);
}

export function deactivate() {}
