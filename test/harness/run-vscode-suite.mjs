// Runs the mocha suite (dist/test/vscode/index.js) inside the extension host of a real VS Code
// (code-server), against a real Hangar API. Same extensionTestsPath contract as @vscode/test-electron.
//
//   node test/harness/run-vscode-suite.mjs [--extension-dev-path DIR] [--tests-path FILE] [--workspace DIR]
//   env: HANGAR_TEST_EXTENSION_DEV_PATH, HANGAR_TEST_TESTS_PATH (same meaning as the flags)
//
// Prints the mocha output and a last line `vscode: N passed, N failed`; exits with the suite's code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, format, stripVTControlCharacters } from 'node:util';
import { startApi, REPO } from './api.mjs';
import { startGitFixture } from './gitFixture.mjs';
import { startCodeServer, launchBrowser, workbenchUrl, freePort } from './codeServer.mjs';
import { scanVscodeRun } from './vscodeSecretsScan.mjs';

const TIMEOUT_MS = 15 * 60_000;

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
    // The loopback "GitHub" of the sync suite: started first, the API trusts its certificate.
    const git = await startGitFixture({ log });
    cleanups.push(git.stop);
    // The provider sign-in suite starts its loopback GitHub device-flow and OAuth servers on these
    // ports inside the extension host (test/fixtures/oauth); the API is pointed at them from the start.
    const [githubOAuthPort, authServerPort] = [await freePort(), await freePort()];
    const authBase = `http://127.0.0.1:${authServerPort}`;
    const oauthEnv = {
      HANGAR_GITHUB_OAUTH_URL: `http://127.0.0.1:${githubOAuthPort}`, HANGAR_COPILOT_CLIENT_ID: 'Iv1.hangar-test-client', HANGAR_OAUTH_REFRESH_POLL_S: '1',
      HANGAR_OAUTH_PROVIDERS: JSON.stringify({
        openrouter: { authorizeUrl: `${authBase}/authorize`, tokenUrl: `${authBase}/token`, clientId: 'hangar-test-app', scopes: ['models.read'] },
        mistral: { authorizeUrl: `${authBase}/authorize`, tokenUrl: `${authBase}/token`, clientId: 'hangar-test-app', editorRedirect: false, codePageUri: `${authBase}/code` },
      }),
    };
    const api = await startApi({ log, env: { HANGAR_GIT_CA_FILE: git.caFile, ...oauthEnv } });
    cleanups.push(api.stop);
    log(`API ${api.url} (data ${api.dataDir})`);
    const cs = await startCodeServer({
      workspace,
      smokeDriver: true, // required for the payload that loads the extension and its tests
      env: {
        HANGAR_TEST_API_URL: api.url, HANGAR_TEST_API_TOKEN: api.token, HANGAR_TEST_DATA_DIR: api.dataDir,
        HANGAR_TEST_GIT_ORIGIN: git.origin, HANGAR_TEST_GIT_ROOT: git.root, HANGAR_TEST_GIT_TOKEN: git.token,
        HANGAR_TEST_GITHUB_OAUTH_PORT: String(githubOAuthPort), HANGAR_TEST_AUTH_SERVER_PORT: String(authServerPort),
      },
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
      // A suite asks for a screenshot of the real workbench by logging `[hangar-screenshot] <name>.png`;
      // the file appears in test-results/ (written whole: the suite waits for it).
      const shot = /^\[hangar-screenshot\] ([\w.-]+\.png)\s*$/.exec(text);
      if (shot) void suiteScreenshot(page, shot[1], log);
      // `[hangar-keys] {"id","steps":[{"type":"text"}|{"press":"Enter"}]}`: keyboard input into the open
      // chat webview's composer, as a user types it; `test-results/hangar-keys-<id>.done` says it is done.
      else if (text.startsWith('[hangar-keys] ')) void suiteKeys(page, text.slice('[hangar-keys] '.length), log);
      else if (!NOISE.test(text)) out(text.endsWith('\n') ? text : text + '\n');
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
    // The secrets scan of what the suite left: everything stopped first, so every file is final.
    await browser.close({ keepProfile: true });
    await cs.stop({ keepState: true });
    await api.stop({ keepData: true });
    const scan = await scanVscodeRun({ apiDataDir: api.dataDir, codeServerState: cs.stateDir, extensionsDir: cs.extensionsDir,
      browserProfile: browser.profile, workspace, log });
    log(scan.summary);
    for (const f of scan.findings) log(`  plaintext secret: ${f}`);
    // With a finding (or a timeout) the profiles and the data dir stay for a look.
    if (scan.findings.length || code === 'timeout') log(`kept for a look: ${[browser.profile, cs.stateDir, api.dataDir].join(', ')}`);
    else if (!process.env.HANGAR_KEEP_STATE) for (const dir of [browser.profile, cs.stateDir, api.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
    const secretsFound = scan.findings.length;
    if (code === 'timeout') {
      log(`suite did not finish within ${TIMEOUT_MS / 60000} minutes (code-server log ${cs.logFile})`);
      return { ...parseMochaCounts(transcript), exitCode: 1, timedOut: true, secretsFound };
    }
    log(`extension host exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ...parseMochaCounts(transcript), exitCode: code, secretsFound };
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

async function suiteScreenshot(page, name, log) {
  const dir = path.join(REPO, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  try {
    const png = await page.screenshot();
    fs.writeFileSync(`${file}.partial`, png);
    fs.renameSync(`${file}.partial`, file);
    log(`screenshot ${path.relative(REPO, file)}`);
  } catch (err) {
    log(`screenshot ${name} failed: ${err.message}`);
  }
}

async function suiteKeys(page, json, log) {
  let id = 'unknown';
  let error = '';
  try {
    const req = JSON.parse(json);
    id = String(req.id).replace(/[^\w.-]/g, '');
    // The chat's document is an inner frame of a webview iframe: find the frame that holds the composer.
    let frame;
    for (let i = 0; i < 50 && !frame; i++) {
      for (const f of page.frames()) if (await f.$('textarea.composer-input').catch(() => null)) { frame = f; break; }
      if (!frame) await new Promise((r) => setTimeout(r, 200));
    }
    if (!frame) throw new Error('no chat composer on screen');
    await frame.click('textarea.composer-input');
    for (const step of req.steps) {
      if (step.type !== undefined) await page.keyboard.type(String(step.type), { delay: 40 });
      if (step.press !== undefined) await page.keyboard.press(String(step.press));
      if (step.waitFor !== undefined) await frame.waitForSelector(String(step.waitFor), { timeout: 10_000 });
    }
  } catch (err) {
    error = err.message;
    log(`keys ${id} failed: ${err.message}`);
  }
  const dir = path.join(REPO, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `hangar-keys-${id}.done`), error);
}

async function main() {
  const { values } = parseArgs({ options: {
    'extension-dev-path': { type: 'string' }, 'tests-path': { type: 'string' }, workspace: { type: 'string' },
  } });
  const extensionDevPath = path.resolve(values['extension-dev-path'] || process.env.HANGAR_TEST_EXTENSION_DEV_PATH || REPO);
  const testsPath = path.resolve(values['tests-path'] || process.env.HANGAR_TEST_TESTS_PATH || path.join(REPO, 'dist', 'test', 'vscode', 'index.js'));
  const log = (line) => console.log(`[vscode-suite] ${line}`);
  // The suite drives the extension through its test hooks (dist/testHooks.mjs, dist/test/webviews), which only
  // the development build has: a production build in between (`npm run package`) removes them. Build it here.
  if (extensionDevPath === REPO) {
    const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
    if (built.status !== 0) { console.log('vscode: 0 passed, 1 failed'); process.exit(1); }
  }
  let result;
  try {
    result = await runVscodeSuite({ extensionDevPath, testsPath, workspace: values.workspace, log });
  } catch (err) {
    log(`ERROR: ${err.message}`);
    result = { passed: 0, failed: 0, pending: 0, exitCode: 1 };
  }
  // A suite that exits non-zero without a "failing" line (crash, timeout) still counts as a failure;
  // so does a plaintext secret the scan found after it (one failure).
  const failed = (result.exitCode !== 0 && result.failed === 0 ? 1 : result.failed) + (result.secretsFound ? 1 : 0);
  if (result.pending) log(`${result.pending} pending`);
  console.log(`vscode: ${result.passed} passed, ${failed} failed`);
  process.exit(result.exitCode === 0 && !result.secretsFound && result.passed > 0 ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
