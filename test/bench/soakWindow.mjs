// The soak's VS Code window (test/bench/soak.ts): a real code-server with Hangar (the repo's build,
// loaded as the development extension) and a headless browser showing the workbench, connected to the
// soak's API the way a user connects (Connect to Server: URL, then token), with the Hangar view
// open; its extension host then follows the 10 chatting projects through the user's event stream.
// sample() reads that extension host's RSS and open file descriptors from /proc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../harness/api.mjs';
import { launchBrowser, startCodeServer, workbenchUrl } from '../harness/codeServer.mjs';
import { answerInput, openActivity, runCommand, statusBarItems, waitForWorkbench, waitUntil } from '../harness/ui.mjs';

/** The extension-host processes of the code-server whose process group is `pgid`. */
function extensionHostPids(pgid) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('extensionHost')) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

/** @returns {Promise<{ pid: number, sample: () => { rssMb: number, fds: number }, close: () => Promise<void> }>} */
export async function openSoakWindow({ apiUrl, token, log = () => {} }) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-soak-ws-'));
  // The repo's build as the development extension (the payload needs the smoke-test driver).
  const cs = await startCodeServer({ workspace, smokeDriver: true, log });
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await cs.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  };
  try {
    const { page } = browser;
    await page.goto(workbenchUrl({ url: cs.url, folder: workspace, extensionDevelopmentPath: REPO }));
    await waitForWorkbench(page, 120_000);
    // A loaded machine takes minutes to start the extension host and register Hangar's commands.
    await runCommand(page, 'Hangar: Connect to Server', 180_000);
    await answerInput(page, apiUrl, { timeout: 60_000 });
    await answerInput(page, token, { password: true, timeout: 60_000 });
    await waitUntil(async () => {
      const items = await statusBarItems(page);
      const item = items.find((i) => i.id.includes('hangar'));
      return item && /(?<!not )connected/i.test(`${item.ariaLabel} ${item.text}`) && item;
    }, (last) => `the Hangar status bar item never said connected: ${JSON.stringify(last)}`, { timeout: 60_000 });
    await openActivity(page, 'Hangar', 60_000);
    const pids = extensionHostPids(cs.pgid);
    if (pids.length !== 1) throw new Error(`expected one extension host, found ${pids.length}`);
    const pid = pids[0];
    log(`extension host pid ${pid} connected to ${apiUrl}`);
    const sample = () => {
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
      return { rssMb: kb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
    };
    return { pid, sample, close };
  } catch (err) {
    await close();
    throw err;
  }
}
