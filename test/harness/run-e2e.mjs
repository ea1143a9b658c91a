// UI end-to-end test as a new user: the packaged .vsix installed into a real VS Code (code-server,
// WITHOUT the smoke driver so notification toasts show), a fresh Hangar API whose token the user
// types in, and Playwright clicking through test/e2e/newUser.e2e.mjs.
//
//   node test/harness/run-e2e.mjs [--no-package] [--vsix FILE]
//   env: HANGAR_TEST_VSIX (same as --vsix; implies no packaging)
//
// Prints one line per step, a last line `e2e: N passed, N failed`; exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApi, REPO } from './api.mjs';
import { startCodeServer, launchBrowser, workbenchUrl } from './codeServer.mjs';
import { screenshot } from './run-vscode-suite.mjs';
import { waitForWorkbench } from './ui.mjs';
import { newUserSteps } from '../e2e/newUser.e2e.mjs';
import { localStartSteps, localStartOptions } from '../e2e/localStart.e2e.mjs';
import { guardSteps, guardOptions, guardFixtures } from '../e2e/guards.e2e.mjs';

const log = (line) => console.log(`[e2e] ${line}`);
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50);

export async function runE2e({ vsix, steps = newUserSteps(), prefix = 'e2e', codeServerOptions = () => ({}), fixtures }) {
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix} (npm run package)`);
  const resultsDir = path.join(REPO, 'test-results');
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const f of fs.readdirSync(resultsDir)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) fs.rmSync(path.join(resultsDir, f));

  const results = [];
  const cleanups = [];
  try {
    // A temp data dir: the extension finds no local token and must ask the user for one.
    // Outside services a scenario needs before the API starts (the loopback GitHub it must trust).
    const extra = fixtures ? await fixtures({ log }) : { env: {}, ctx: {} };
    if (extra.stop) cleanups.push(extra.stop);
    const api = await startApi({ log, env: extra.env });
    cleanups.push(api.stop);
    log(`API ${api.url} (data ${api.dataDir})`);
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-e2e-ws-'));
    cleanups.push(async () => fs.rmSync(workspace, { recursive: true, force: true }));
    const cs = await startCodeServer({ workspace, smokeDriver: false, installVsix: vsix, log, ...codeServerOptions(api) });
    cleanups.push(cs.stop);
    const installed = fs.readdirSync(cs.extensionsDir).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
    log(`installed extensions: ${installed.join(', ') || '(none)'}`);
    const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
    cleanups.push(browser.close);
    const { page } = browser;
    page.on('pageerror', (err) => { if (process.env.HANGAR_E2E_VERBOSE) log(`[page error] ${err.message}`); });

    await page.goto(workbenchUrl({ url: cs.url, folder: workspace }));
    await waitForWorkbench(page);
    await screenshot(page, `${prefix}-00-workbench.png`, log);

    const ctx = { page, api, cs, log, ...extra.ctx };
    let failedAt;
    for (const [i, step] of steps.entries()) {
      const n = String(i + 1).padStart(2, '0');
      if (failedAt) { results.push({ name: step.name, ok: false, error: 'not run (an earlier step failed)' }); continue; }
      const started = Date.now();
      try {
        await step.run(ctx);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        results.push({ name: step.name, ok: true });
        console.log(`  ✓ ${step.name} (${secs} s)`);
        await screenshot(page, `${prefix}-${n}-${slug(step.name)}.png`);
      } catch (err) {
        failedAt = step.name;
        err.message = err.message.split(/\n\s*Call log:/)[0]; // Playwright's retry log buries the reason
        results.push({ name: step.name, ok: false, error: err.message });
        console.log(`  ✗ ${step.name}\n    ${err.message.replace(/\n/g, '\n    ')}`);
        const shot = await screenshot(page, `${prefix}-${n}-FAILED-${slug(step.name)}.png`);
        log(`failed at step "${step.name}"; screenshot ${path.relative(REPO, shot)}; code-server log ${cs.logFile}; API log ${api.logFile}`);
      }
    }
    if (failedAt) { // keep the logs for the failure report
      await cs.stop({ keepState: true });
      await api.stop({ keepData: true });
    }
  } catch (err) {
    // Setup failed (API, code-server, browser): no step ran.
    log(`ERROR during setup: ${err.message}`);
    for (const step of steps.slice(results.length)) results.push({ name: step.name, ok: false, error: 'not run (setup failed)' });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => log(`cleanup: ${err.message}`));
  }
  return results;
}

function packageVsix() {
  log('npm run package');
  const r = spawnSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run package exited with ${r.status}`);
}

async function main() {
  const { values } = parseArgs({ options: { 'no-package': { type: 'boolean' }, vsix: { type: 'string' } } });
  const vsix = path.resolve(values.vsix || process.env.HANGAR_TEST_VSIX || path.join(REPO, 'dist', 'hangar.vsix'));
  let results;
  try {
    if (!values['no-package'] && !values.vsix && !process.env.HANGAR_TEST_VSIX) packageVsix();
    results = await runE2e({ vsix });
    // The README's `npm start` path: a server on this machine, its token file readable.
    console.log('[e2e] scenario: local server, already configured');
    results.push(...await runE2e({ vsix, steps: localStartSteps(), prefix: 'e2e-local', codeServerOptions: localStartOptions }));
    // The guards before Stop and Delete (issue #16): one modal each, the safe choice the default.
    console.log('[e2e] scenario: Stop and Delete with work not on GitHub');
    results.push(...await runE2e({ vsix, steps: guardSteps(), prefix: 'e2e-guards', codeServerOptions: guardOptions, fixtures: guardFixtures }));
  } catch (err) {
    log(`ERROR: ${err.message}`);
    results = [...newUserSteps(), ...localStartSteps(), ...guardSteps()].map((s) => ({ name: s.name, ok: false, error: 'not run' }));
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
