// VS Code's own activation figure for Hangar and the extension host's memory it costs, measured the way a
// user would see them: the packaged .vsix installed into a real VS Code (code-server), each window's
// "Developer: Show Running Extensions" editor read with Playwright, beside the built-in Git extension's
// figure in the same window. The extension host's memory (V8 heap + external after a full GC, written by
// a bench-only probe extension, test/bench/memoryProbe) is compared with windows of a second code-server
// that has no Hangar installed. Median of N windows (default 5) each.
//
//   npm run package && node test/bench/activation.mjs [--vsix dist/hangar.vsix] [--baseline old.vsix] [--windows 5]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../harness/api.mjs';
import { startCodeServer, launchBrowser, workbenchUrl } from '../harness/codeServer.mjs';
import { waitForWorkbench, runCommand, waitUntil } from '../harness/ui.mjs';

const log = (line) => console.log(`[activation] ${line}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const MiB = 1024 * 1024;

/** Extension-host processes of a code-server (its process group), with their resident memory in bytes. */
function extensionHosts(pgidOf) {
  const hosts = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.includes('extensionHost')) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgidOf) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'));
      hosts.push({ pid: Number(entry), rss: rss ? Number(rss[1]) * 1024 : 0 });
    } catch { /* gone */ }
  }
  return hosts;
}

/** The rows of the Running Extensions editor: name and VS Code's activation figure in ms. */
async function runningExtensions(page) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
  let parsed = [];
  await waitUntil(async () => {
    const texts = await rows.evaluateAll((els) => els.map((e) => ({
      name: e.querySelector('.name')?.textContent?.trim() ?? '',
      text: e.textContent ?? '',
    })));
    parsed = texts.map(({ name, text }) => {
      const m = /Activation:\s*([\d.]+)\s*ms/i.exec(text);
      return { name, ms: m ? Number(m[1]) : undefined };
    });
    return parsed.some((r) => r.name === 'Git' && r.ms !== undefined) && parsed;
  }, () => `the Running Extensions editor shows no Git row with an activation time; rows: ${JSON.stringify(parsed)}`,
  { timeout: 60_000 });
  return parsed;
}

/** One code-server with its own browser: Hangar from `vsix` (none without it) and the memory probe installed. */
async function startSide({ label, vsix }) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-activation-ws-'));
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-memory-probe-'));
  // The .vsix's files unpacked as an installed extension folder: `--install-extension` would write an
  // extensions.json listing only Hangar, and VS Code would then ignore the probe's folder.
  const unpacked = vsix ? unpackVsix(vsix) : undefined;
  const cleanup = [() => {
    for (const d of [workspace, probeDir, unpacked]) if (d) fs.rmSync(d, { recursive: true, force: true });
  }];
  try {
    const cs = await startCodeServer({
      workspace, smokeDriver: false, log: () => {},
      env: { HANGAR_MEMORY_PROBE_DIR: probeDir },
      linkExtensions: [
        { from: path.join(REPO, 'test/bench/memoryProbe'), name: 'hangar-bench.memory-probe-0.0.1' },
        // Its folder name sorts just before Hangar's: VS Code starts onStartupFinished activations in that order.
        { from: path.join(REPO, 'test/bench/emptyExtension'), name: 'hangar-bench.zz-empty-0.0.1' },
        ...(unpacked
          ? [{ from: path.join(unpacked, 'extension'), name: `hangar-dev.hangar-${vsixVersion(unpacked)}` }]
          : []),
      ],
    });
    cleanup.unshift(() => cs.stop());
    // Tall: the Running Extensions list only renders the rows on screen, and Git's may be far down.
    const browser = await launchBrowser({ viewport: { width: 1400, height: 4000 } });
    cleanup.unshift(() => browser.close());
    return {
      label, cs, browser, workspace, probeDir, group: groupOf(cs), results: [],
      stop: async () => { for (const c of cleanup) await c(); },
    };
  } catch (e) {
    for (const c of cleanup) await c();
    throw e;
  }
}

/** Opens one window of a side: VS Code's figures for Hangar and Git, and the new extension host's memory. */
async function measureWindow(side, settleMs) {
  const { cs, browser, group, probeDir, workspace } = side;
  const before = new Set(extensionHosts(group).map((h) => h.pid));
  const page = await browser.context.newPage();
  await page.goto(workbenchUrl({ url: cs.url, folder: workspace }));
  await waitForWorkbench(page);
  const host = await waitUntil(async () => extensionHosts(group).find((h) => !before.has(h.pid)),
    () => 'no new extension host process for this window', { timeout: 60_000 });
  // onStartupFinished activations run after the workbench settles; let them finish and the heap settle.
  await new Promise((r) => setTimeout(r, settleMs));
  const rows = await runningExtensions(page);
  if (process.env.HANGAR_ACTIVATION_ROWS) log(`rows: ${JSON.stringify(rows.filter((r) => r.ms !== undefined))}`);
  const rss = extensionHosts(group).find((h) => h.pid === host.pid)?.rss ?? 0;
  const probeFile = path.join(probeDir, `${host.pid}.json`);
  const readProbe = () => fs.existsSync(probeFile) && JSON.parse(fs.readFileSync(probeFile, 'utf8'));
  const probe = await waitUntil(async () => readProbe(),
    () => `the memory probe wrote nothing for extension host ${host.pid}`, { timeout: 60_000 });
  await page.close();
  // Let the closed window's extension host go, so the next one is alone.
  const gone = async () => !extensionHosts(group).some((h) => h.pid === host.pid);
  await waitUntil(gone, () => 'old extension host lingers', { timeout: 30_000 })
    .catch(() => log(`extension host ${host.pid} still running after its window closed`));
  return {
    hangar: rows.find((r) => r.name === 'Hangar')?.ms,
    git: rows.find((r) => r.name === 'Git')?.ms,
    // A 20-line extension activated by the same event: what any extension's figure is in this window.
    probe: rows.find((r) => r.name === 'memory-probe')?.ms,
    // An empty CommonJS extension activated just before Hangar in the same batch (test/bench/emptyExtension).
    empty: rows.find((r) => r.name === 'zz-empty')?.ms,
    heap: probe.heapUsed + probe.external,
    rss,
  };
}

function unpackVsix(vsix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-vsix-'));
  execFileSync('unzip', ['-q', vsix, '-d', dir]);
  return dir;
}

function vsixVersion(unpacked) {
  return JSON.parse(fs.readFileSync(path.join(unpacked, 'extension', 'package.json'), 'utf8')).version;
}

/** code-server's process group (the harness starts it under setsid): its main process's group. */
function groupOf(cs) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.includes(cs.stateDir) || !cmd.includes('--bind-addr')) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    } catch { /* gone */ }
  }
  throw new Error(`no code-server process for ${cs.stateDir}`);
}

/**
 * Sides: Hangar from `vsix`, optionally an earlier build (`baselineVsix`) and no Hangar. After one warm-up
 * window each (not counted), their windows alternate, so a busy machine weighs on each side alike.
 */
export async function benchActivation({ vsix, baselineVsix, windows = 5, settleMs = 5000 }) {
  for (const v of [vsix, baselineVsix]) {
    if (v && !fs.existsSync(v)) throw new Error(`vsix not found: ${v} (npm run package)`);
  }
  const sides = [];
  try {
    sides.push(await startSide({ label: 'hangar', vsix }));
    if (baselineVsix) sides.push(await startSide({ label: 'baseline', vsix: baselineVsix }));
    sides.push(await startSide({ label: 'none' }));
    for (const side of sides) await measureWindow(side, settleMs);
    for (let i = 0; i < windows; i++) {
      for (const side of sides) {
        const w = await measureWindow(side, settleMs);
        side.results.push(w);
        log(`${side.label}, window ${i + 1}: Hangar ${w.hangar ?? '-'} ms, Git ${w.git ?? '-'} ms, `
          + `probe ${w.probe ?? '-'} ms, empty ${w.empty ?? '-'} ms, extension host `
          + `heap+external ${(w.heap / MiB).toFixed(1)} MiB after GC, rss ${(w.rss / MiB).toFixed(1)} MiB`);
      }
    }
  } finally {
    for (const side of sides) await side.stop();
  }
  const none = sides.find((s) => s.label === 'none');
  const summary = (side) => {
    const hangar = side.results.map((w) => w.hangar).filter((x) => x !== undefined);
    if (hangar.length !== windows) throw new Error(`Hangar was not active in every ${side.label} window`);
    const heapMiB = median(side.results.map((w) => w.heap)) / MiB;
    const rssMiB = median(side.results.map((w) => w.rss)) / MiB;
    return {
      hangarMs: median(hangar),
      gitMs: median(side.results.map((w) => w.git)),
      probeMs: median(side.results.map((w) => w.probe).filter((x) => x !== undefined)),
      emptyMs: median(side.results.map((w) => w.empty).filter((x) => x !== undefined)),
      // Hangar's own share of its figure: what it adds over the empty extension started just before it.
      overEmptyMs: median(side.results.filter((w) => w.empty !== undefined).map((w) => w.hangar - w.empty)),
      heapMiB, rssMiB,
      memoryDeltaMiB: heapMiB - median(none.results.map((w) => w.heap)) / MiB,
      rssDeltaMiB: rssMiB - median(none.results.map((w) => w.rss)) / MiB,
    };
  };
  return {
    windows,
    hangar: summary(sides[0]),
    ...(baselineVsix ? { baseline: summary(sides[1]) } : {}),
    none: {
      gitMs: median(none.results.map((w) => w.git)),
      emptyMs: median(none.results.map((w) => w.empty).filter((x) => x !== undefined)),
      heapMiB: median(none.results.map((w) => w.heap)) / MiB,
      rssMiB: median(none.results.map((w) => w.rss)) / MiB,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const options = { vsix: { type: 'string' }, baseline: { type: 'string' }, windows: { type: 'string' } };
  const { values } = parseArgs({ options });
  const vsix = path.resolve(values.vsix ?? path.join(REPO, 'dist', 'hangar.vsix'));
  const baselineVsix = values.baseline ? path.resolve(values.baseline) : undefined;
  const r = await benchActivation({ vsix, baselineVsix, windows: Number(values.windows ?? 5) });
  const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  for (const [name, s] of Object.entries(r).filter(([k]) => k === 'hangar' || k === 'baseline')) {
    log(`${name}: median of ${r.windows} windows: VS Code's activation figure ${s.hangarMs} ms, `
      + `built-in Git ${s.gitMs} ms, a trivial extension ${s.probeMs} ms, an empty one started just before `
      + `Hangar ${s.emptyMs} ms (Hangar adds ${s.overEmptyMs} ms) in the same windows; `
      + `extension host ${s.heapMiB.toFixed(1)} MiB heap+external `
      + `after GC (${signed(s.memoryDeltaMiB)} MiB over no Hangar), `
      + `resident ${s.rssMiB.toFixed(1)} MiB (${signed(s.rssDeltaMiB)} MiB)`);
  }
  log(`no Hangar: Git ${r.none.gitMs} ms, ${r.none.heapMiB.toFixed(1)} MiB heap+external, `
    + `${r.none.rssMiB.toFixed(1)} MiB resident`);
  console.log(JSON.stringify(r));
}
