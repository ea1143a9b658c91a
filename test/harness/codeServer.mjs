// Starts a real VS Code (code-server) with a fresh state dir, and a headless Chromium to drive it.
// Recipe: /work/shared/docs/vscode-testing.md.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDeps } from './deps.mjs';

// Without these the workbench spends its time on AI chat, welcome pages and update checks.
export const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.tips.enabled': false,
};

export async function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * @param {object} o
 * @param {string} o.workspace folder opened by default
 * @param {boolean} [o.smokeDriver] loads URL payloads (extensionDevelopmentPath/extensionTestsPath) but hides toasts
 * @param {object} [o.settings] merged over QUIET_SETTINGS into the user settings.json
 * @param {object} [o.env] merged into code-server's env (the extension host inherits it)
 * @param {string} [o.installVsix] a .vsix installed into the fresh extensions dir before start
 * @param {Array<{from:string,name:string,symlink?:boolean}>} [o.linkExtensions] folders copied (or symlinked) as <extensions-dir>/<name>
 * @param {number} [o.port] fixed port (default: a free one)
 */
export async function startCodeServer({
  workspace, smokeDriver = true, settings = {}, env = {}, installVsix, linkExtensions = [], port, log = () => {},
}) {
  const { node24, codeServerEntry } = await ensureDeps({ log: (l) => log(`[deps] ${l}`) });
  port ??= await freePort();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-cs-'));
  const dirs = {
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  fs.writeFileSync(path.join(stateDir, 'empty.yaml'), ''); // keeps ~/.config/code-server/config.yaml out of it
  const childEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(stateDir, 'cfg'),
    XDG_DATA_HOME: path.join(stateDir, 'data'),
    XDG_CACHE_HOME: path.join(stateDir, 'cache'),
    ...env,
  };
  // The parent's own test/dev env vars must not leak into the extension host unless asked.
  delete childEnv.VSCODE_IPC_HOOK_CLI;
  const common = ['--config', path.join(stateDir, 'empty.yaml'), '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions];

  if (installVsix) {
    log(`installing ${installVsix}`);
    try {
      execFileSync(node24, [codeServerEntry, ...common, '--install-extension', path.resolve(installVsix)],
        { env: childEnv, stdio: 'pipe', timeout: 120_000 });
    } catch (err) {
      throw new Error(`code-server --install-extension ${installVsix} failed: ${err.stderr || err.stdout || err.message}`, { cause: err });
    }
  }
  // An unpacked extension folder named <publisher>.<name>-<version> is picked up at start.
  for (const { from, name, symlink = false } of linkExtensions) {
    const target = path.join(dirs.extensions, name);
    if (symlink) fs.symlinkSync(path.resolve(from), target, 'dir');
    else fs.cpSync(from, target, { recursive: true, filter: (src) => !/[\\/](\.git|node_modules|test-results)([\\/]|$)/.test(src) });
  }

  const args = [node24, codeServerEntry, ...common,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override'];
  if (smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(workspace);

  const logFile = path.join(stateDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  // setsid gives code-server its own process group, so stop() can find every helper it forks
  // (file watcher, extension host, pty host). Spawned non-detached, setsid does not fork again,
  // so child.pid is the group id.
  const child = spawn('setsid', args, { env: childEnv, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid;
  let exited = false;
  child.on('exit', () => { exited = true; });
  log(`code-server pid ${pgid} on port ${port}, state ${stateDir}`);

  let stopping;
  const stop = ({ keepState = !!process.env.HANGAR_KEEP_STATE } = {}) => {
    stopping ??= (async () => {
      await killGroup(pgid);
      if (!keepState) fs.rmSync(stateDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      await stop({ keepState: true });
      throw new Error(`code-server exited during startup (log ${logFile}):\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop({ keepState: true }); throw new Error(`code-server not healthy after 60 s (log ${logFile})`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  // pgid: the process group of code-server and everything it forks (its extension hosts too).
  return { url, port, stateDir, logFile, extensionsDir: dirs.extensions, pgid, stop };
}

/** Every process whose session or group is `pgid` (setsid makes them equal). */
function groupMembers(pgid) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the ")" that closes the command name: state ppid pgrp session ...
      const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid || Number(session) === pgid) pids.push(Number(entry));
    } catch { /* process went away */ }
  }
  return pids;
}

// Killing only the main PID leaves a file watcher spinning at 100% CPU, so every member is
// signalled, one PID at a time; SIGKILL for whatever is left after 3 s.
async function killGroup(pgid) {
  const signalAll = (sig) => {
    for (const pid of groupMembers(pgid)) { try { process.kill(pid, sig); } catch { /* gone */ } }
  };
  signalAll('SIGTERM');
  const deadline = Date.now() + 3000;
  while (groupMembers(pgid).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  signalAll('SIGKILL');
  while (groupMembers(pgid).some((pid) => !isZombie(pid))) await new Promise((r) => setTimeout(r, 50));
}

function isZombie(pid) {
  try { const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.slice(s.lastIndexOf(')') + 2)[0] === 'Z'; } catch { return true; }
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Headless Debian Chromium with a fresh profile (SecretStorage lives in it, so each run starts empty).
 * Returns { context, page, profile, close }.
 */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.HANGAR_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? await context.newPage();
  let closed;
  // close({ keepProfile: true }) leaves the profile for a look (the secrets scan); the caller removes it.
  const close = ({ keepProfile = false } = {}) => (closed ??= (async () => {
    await context.close().catch(() => {});
    if (!keepProfile) fs.rmSync(profile, { recursive: true, force: true });
  })());
  return { context, page, profile, close };
}

/** The workbench URL; payload paths use the literal authority `remote`. */
export function workbenchUrl({ url, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://remote${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams();
  if (folder) query.set('folder', path.resolve(folder));
  query.set('payload', JSON.stringify(payload));
  return `${url}/?${query}`;
}
