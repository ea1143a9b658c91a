// Runs the mocha suite (dist/test/vscode/index.js) inside the extension host of a real VS Code
// (code-server), against a real Hangar API. Same extensionTestsPath contract as @vscode/test-electron.
//
//   node test/harness/run-vscode-suite.mjs [--extension-dev-path DIR] [--tests-path FILE] [--workspace DIR]
//   env: HANGAR_TEST_EXTENSION_DEV_PATH, HANGAR_TEST_TESTS_PATH (same meaning as the flags)
//
// Prints the mocha output and a last line `vscode: N passed, N failed`; exits with the suite's code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, format, stripVTControlCharacters } from 'node:util';
import { startApi, REPO } from './api.mjs';
import { startCodeServer, launchBrowser, workbenchUrl } from './codeServer.mjs';

const TIMEOUT_MS = 5 * 60_000;

// Offline noise from the workbench (marketplace, telemetry, GitHub, vsda) that says nothing about the suite.
// Also the workbench's own start-up chatter (connection, service worker, GitHub auth, agent host).
export const NOISE = new RegExp([
  'ENOTFOUND', 'EAI_AGAIN', 'telemetry', 'vsda', 'marketplace', 'api\\.github\\.com', 'update\\.code\\.visualstudio',
  'Failed to load resource', 'net::ERR_', 'gallery', 'Resolving connection token', 'Resolved connection token',
  'Creating a socket', 'reconnection-grace-time', 'Updating additional builtin', '\\[Service Worker\\]',
  '\\[AgentHost', '\\[AccountPolicyGate\\]', "authentication provider 'github'", 'Creation of workbench contribution',
].join('|'), 'i');

/** Counts from mocha's spec reporter ("3 passing (20ms)", "1 failing", "2 pending"); missing = 0. */
export function parseMochaCounts(text) {
  const clean = stripVTControlCharacters(text);
  const last = (word) => {
    const all = [...clean.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all.at(-1)[1]) : 0;
  };
  return { passed: last('passing'), failed: last('failing'), pending: last('pending') };
}

export async function runVscodeSuite({ extensionDevPath, testsPath, workspace, log = console.log, out = (s) => process.stdout.write(s) }) {
  for (const [what, p] of [['extension', path.join(extensionDevPath, 'package.json')], ['compiled suite', testsPath]]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found: ${p} (run node esbuild.mjs first)`);
  }
  const main = JSON.parse(fs.readFileSync(path.join(extensionDevPath, 'package.json'), 'utf8')).main;
  if (main && !fs.existsSync(path.resolve(extensionDevPath, main)) && !fs.existsSync(path.resolve(extensionDevPath, `${main}.js`))) {
    throw new Error(`extension entry ${path.resolve(extensionDevPath, main)} not built (run node esbuild.mjs first)`);
  }
  const cleanups = [];
  if (!workspace) {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-ws-'));
    const made = workspace;
    cleanups.push(async () => fs.rmSync(made, { recursive: true, force: true }));
  }
  let transcript = '';
  try {
    const api = await startApi({ log });
    cleanups.push(api.stop);
    log(`API ${api.url} (data ${api.dataDir})`);
    const cs = await startCodeServer({
      workspace,
      smokeDriver: true, // required for the payload that loads the extension and its tests
      env: { HANGAR_TEST_API_URL: api.url, HANGAR_TEST_API_TOKEN: api.token, HANGAR_TEST_DATA_DIR: api.dataDir },
      log,
    });
    cleanups.push(cs.stop);
    const browser = await launchBrowser();
    cleanups.push(browser.close);
    const { page } = browser;

    let settle;
    const exited = new Promise((resolve) => { settle = resolve; });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The workbench forwards console calls as (format, ...values): mocha's spec reporter uses %s/%d.
      const text = format(...(Array.isArray(args) ? args : [args]));
      transcript += text + '\n';
      if (!NOISE.test(text)) out(text.endsWith('\n') ? text : text + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('pageerror', (err) => { if (!NOISE.test(err.message)) log(`[page error] ${err.message}`); });

    const started = Date.now();
    await page.goto(workbenchUrl({ url: cs.url, folder: workspace, extensionDevelopmentPath: extensionDevPath, extensionTestsPath: testsPath }));
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS); });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    await screenshot(page, 'vscode-suite.png', log);
    if (code === 'timeout') {
      log(`suite did not finish within ${TIMEOUT_MS / 60000} minutes (code-server log ${cs.logFile})`);
      return { ...parseMochaCounts(transcript), exitCode: 1, timedOut: true };
    }
    log(`extension host exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ...parseMochaCounts(transcript), exitCode: code };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => log(`cleanup: ${err.message}`));
  }
}

export async function screenshot(page, name, log = () => {}) {
  const dir = path.join(REPO, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  try { await page.screenshot({ path: file }); log(`screenshot ${path.relative(REPO, file)}`); } catch (err) { log(`screenshot failed: ${err.message}`); }
  return file;
}

async function main() {
  const { values } = parseArgs({ options: {
    'extension-dev-path': { type: 'string' }, 'tests-path': { type: 'string' }, workspace: { type: 'string' },
  } });
  const extensionDevPath = path.resolve(values['extension-dev-path'] || process.env.HANGAR_TEST_EXTENSION_DEV_PATH || REPO);
  const testsPath = path.resolve(values['tests-path'] || process.env.HANGAR_TEST_TESTS_PATH || path.join(REPO, 'dist', 'test', 'vscode', 'index.js'));
  const log = (line) => console.log(`[vscode-suite] ${line}`);
  let result;
  try {
    result = await runVscodeSuite({ extensionDevPath, testsPath, workspace: values.workspace, log });
  } catch (err) {
    log(`ERROR: ${err.message}`);
    result = { passed: 0, failed: 0, pending: 0, exitCode: 1 };
  }
  // A suite that exits non-zero without a "failing" line (crash, timeout) still counts as a failure.
  const failed = result.exitCode !== 0 && result.failed === 0 ? 1 : result.failed;
  if (result.pending) log(`${result.pending} pending`);
  console.log(`vscode: ${result.passed} passed, ${failed} failed`);
  process.exit(result.exitCode === 0 && result.passed > 0 ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
