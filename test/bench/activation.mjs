// VS Code's own activation figure for Hangar and the extension host's memory it costs, measured the way a
// user would see them: the packaged .vsix installed into a real VS Code (code-server), each window's
// "Developer: Show Running Extensions" editor read with Playwright, beside the built-in Git extension's
// figure in the same window. The extension host's memory (V8 heap + external after a full GC, written by
// a bench-only probe extension, test/bench/memoryProbe) is compared with windows of a second code-server
// that has no Hangar installed. Median of N windows (default 5) each.
//
//   npm run package && node test/bench/activation.mjs [--vsix dist/hangar.vsix] [--windows 5]
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

/** Opens `windows` windows one after the other; for each: both figures and the new extension host's memory. */
async function measure({ vsix, windows, settleMs }) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-activation-ws-'));
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-memory-probe-'));
  // The .vsix's files unpacked as an installed extension folder: `--install-extension` would write an
  // extensions.json listing only Hangar, and VS Code would then ignore the probe's folder.
  const unpacked = vsix ? unpackVsix(vsix) : undefined;
  const cs = await startCodeServer({
    workspace, smokeDriver: false, log: () => {},
    env: { HANGAR_MEMORY_PROBE_DIR: probeDir },
    linkExtensions: [
      { from: path.join(REPO, 'test/bench/memoryProbe'), name: 'hangar-bench.memory-probe-0.0.1' },
      ...(unpacked ? [{ from: path.join(unpacked, 'extension'), name: `hangar-dev.hangar-${vsixVersion(unpacked)}` }] : []),
    ],
  });
  const browser = await launchBrowser();
  const out = [];
  try {
    const group = groupOf(cs);
    for (let i = 0; i < windows; i++) {
      const before = new Set(extensionHosts(group).map((h) => h.pid));
      const page = i === 0 ? browser.page : await browser.context.newPage();
      await page.goto(workbenchUrl({ url: cs.url, folder: workspace }));
      await waitForWorkbench(page);
      const host = await waitUntil(async () => extensionHosts(group).find((h) => !before.has(h.pid)),
        () => 'no new extension host process for this window', { timeout: 60_000 });
      // onStartupFinished activations run after the workbench settles; let them finish and the heap settle.
      await new Promise((r) => setTimeout(r, settleMs));
      const rows = await runningExtensions(page);
      const rss = extensionHosts(group).find((h) => h.pid === host.pid)?.rss ?? 0;
      const probeFile = path.join(probeDir, `${host.pid}.json`);
      const probe = await waitUntil(async () => fs.existsSync(probeFile) && JSON.parse(fs.readFileSync(probeFile, 'utf8')),
        () => `the memory probe wrote nothing for extension host ${host.pid}`, { timeout: 60_000 });
      const heap = probe.heapUsed + probe.external;
      const hangar = rows.find((r) => r.name === 'Hangar')?.ms;
      const git = rows.find((r) => r.name === 'Git')?.ms;
      log(`${vsix ? 'with' : 'without'} Hangar, window ${i + 1}: Hangar ${hangar ?? '-'} ms, Git ${git ?? '-'} ms, `
        + `extension host heap+external ${(heap / MiB).toFixed(1)} MiB after GC, rss ${(rss / MiB).toFixed(1)} MiB (pid ${host.pid})`);
      out.push({ hangar, git, rss, heap });
      await page.close();
      // Let the closed window's extension host go, so the next one is alone.
      await waitUntil(async () => !extensionHosts(group).some((h) => h.pid === host.pid), () => 'old extension host lingers',
        { timeout: 30_000 }).catch(() => log(`extension host ${host.pid} still running after its window closed`));
    }
  } finally {
    await browser.close();
    await cs.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(probeDir, { recursive: true, force: true });
    if (unpacked) fs.rmSync(unpacked, { recursive: true, force: true });
  }
  return out;
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

export async function benchActivation({ vsix, windows = 5, settleMs = 5000 }) {
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix} (npm run package)`);
  const withHangar = await measure({ vsix, windows, settleMs });
  const without = await measure({ vsix: undefined, windows, settleMs });
  const hangar = withHangar.map((w) => w.hangar).filter((x) => x !== undefined);
  if (hangar.length !== windows) throw new Error(`Hangar was not active in every window: ${JSON.stringify(withHangar)}`);
  const result = {
    windows,
    hangarMs: median(hangar),
    gitMs: median(withHangar.map((w) => w.git).filter((x) => x !== undefined)),
    gitMsWithoutHangar: median(without.map((w) => w.git).filter((x) => x !== undefined)),
    heapMiBWith: median(withHangar.map((w) => w.heap)) / MiB,
    heapMiBWithout: median(without.map((w) => w.heap)) / MiB,
    rssMiBWith: median(withHangar.map((w) => w.rss)) / MiB,
    rssMiBWithout: median(without.map((w) => w.rss)) / MiB,
  };
  result.memoryDeltaMiB = result.heapMiBWith - result.heapMiBWithout;
  result.rssDeltaMiB = result.rssMiBWith - result.rssMiBWithout;
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: { vsix: { type: 'string' }, windows: { type: 'string' } } });
  const vsix = path.resolve(values.vsix ?? path.join(REPO, 'dist', 'hangar.vsix'));
  const r = await benchActivation({ vsix, windows: Number(values.windows ?? 5) });
  log(`median of ${r.windows} windows: VS Code's activation figure Hangar ${r.hangarMs} ms, built-in Git ${r.gitMs} ms `
    + `(same windows; ${r.gitMsWithoutHangar} ms without Hangar)`);
  const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  log(`extension host memory (heap + external after GC): ${r.heapMiBWith.toFixed(1)} MiB with Hangar, `
    + `${r.heapMiBWithout.toFixed(1)} MiB without: ${signed(r.memoryDeltaMiB)} MiB `
    + `(resident: ${r.rssMiBWith.toFixed(1)} vs ${r.rssMiBWithout.toFixed(1)} MiB, ${signed(r.rssDeltaMiB)} MiB)`);
  console.log(JSON.stringify(r));
}
