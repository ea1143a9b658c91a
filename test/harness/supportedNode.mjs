// Node 20 reached its end of life: `npm start` and `npm test` run on a supported LTS (>= 22). On a
// machine whose Node is older they install Node 22 (TOOL_NODE_VERSION: better-sqlite3 12 aborts on
// Node 24; code-server keeps its own Node 24, test/harness/deps.mjs) into the cache, compile better-sqlite3 for it once (cached next to it, loaded through
// nativeAbi.cjs so node_modules stays as `npm install` left it), and run themselves again under it,
// with it first on PATH so that `node`, `npm` and `npx` in child processes run on it too.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, cacheDir, cleanInstallEnv, ensureNode, isDone, markDone, TOOL_NODE_VERSION, resetDir, run } from './deps.mjs';

export const MIN_NODE_MAJOR = 22;
/** The first major the API does not run on yet: better-sqlite3 12 aborts on Node 24 (see deps.mjs). */
export const UNSUPPORTED_FROM_MAJOR = 24;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const PRELOAD = path.join(HERE, 'nativeAbi.cjs');

export const nodeMajor = (version = process.versions.node) => Number(version.split('.')[0]);

/** node-gyp as shipped with the npm that runs us (npm_config_node_gyp under `npm run`), else next to npm on PATH. */
function nodeGypScript(env = process.env) {
  const candidates = [env.npm_config_node_gyp];
  if (env.npm_execpath) candidates.push(path.join(path.dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    const npm = path.join(dir, 'npm');
    if (dir && fs.existsSync(npm)) candidates.push(path.join(path.dirname(fs.realpathSync(npm)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const found = candidates.find((c) => c && fs.existsSync(c));
  if (!found) throw new Error(`node-gyp not found (it ships with npm): cannot compile better-sqlite3 for Node ${TOOL_NODE_VERSION}`);
  return found;
}

/** The env that makes a Node process load better-sqlite3 from `binding` (see nativeAbi.cjs). */
export function preloadEnv(env, binding) {
  const options = (env.NODE_OPTIONS ?? '').includes(PRELOAD) ? env.NODE_OPTIONS : `${env.NODE_OPTIONS ?? ''} --require "${PRELOAD}"`.trim();
  return { ...env, NODE_OPTIONS: options, HANGAR_SQLITE_BINDING: binding, HANGAR_SQLITE_MODULE: path.join(REPO, 'node_modules', 'better-sqlite3') };
}

/** better-sqlite3 compiled for `node` (its ABI), in the cache; built once under the install lock. */
export async function ensureSqliteBinding({ node, nodeHome, log }) {
  const pkgDir = path.join(REPO, 'node_modules', 'better-sqlite3');
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const abi = execFileSync(node, ['-p', 'process.versions.modules']).toString().trim();
  const dir = path.join(cacheDir(), 'native', `better-sqlite3-${version}-abi${abi}`);
  const binding = path.join(dir, 'better_sqlite3.node');
  if (isDone(dir)) return binding;
  const release = await acquireLock(path.join(cacheDir(), '.install-lock'), log);
  try {
    if (isDone(dir)) return binding;
    const step = `compile better-sqlite3 ${version} for Node ${TOOL_NODE_VERSION}`;
    log(`${step} (once: a minute or two, mostly SQLite itself)`);
    resetDir(dir);
    const src = path.join(dir, 'src');
    for (const part of ['binding.gyp', 'package.json', 'src', 'deps']) fs.cpSync(path.join(pkgDir, part), path.join(src, part), { recursive: true });
    await run(step, node, [nodeGypScript(), 'rebuild', '--release', `--nodedir=${nodeHome}`, '-j', String(Math.max(1, os.availableParallelism()))],
      { cwd: src, env: cleanInstallEnv(process.env, { prependPath: [path.dirname(node)], set: { npm_config_nodedir: nodeHome } }) }, log);
    fs.copyFileSync(path.join(src, 'build', 'Release', 'better_sqlite3.node'), binding);
    const check = spawnSync(node, ['-e', "const D = require('better-sqlite3'); const db = new D(':memory:'); db.prepare('select 1').get(); db.close();"],
      { cwd: REPO, env: preloadEnv(process.env, binding), encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`deps: step "${step}": the compiled module does not load: ${check.stderr.trim()}`);
    fs.rmSync(src, { recursive: true, force: true });
    markDone(dir);
    return binding;
  } finally {
    release();
  }
}

/**
 * Returns when this process already runs on Node 22 or 23. Otherwise prepares Node 22 and runs this
 * same script again under it, and exits with its exit code (never returns).
 */
export async function runOnSupportedNode({ log = (line) => console.log(`[node] ${line}`) } = {}) {
  const major = nodeMajor();
  if (major >= MIN_NODE_MAJOR && major < UNSUPPORTED_FROM_MAJOR) return;
  if (process.env.HANGAR_NODE_REEXEC) throw new Error(`still on Node ${process.versions.node} after switching to Node ${TOOL_NODE_VERSION}`);
  const why = major < MIN_NODE_MAJOR ? 'is past its end of life' : 'is not supported by better-sqlite3 12 yet (it aborts the API)';
  log(`Node ${process.versions.node} ${why}; using Node ${TOOL_NODE_VERSION} from ${cacheDir()} (installed there on first use)`);
  const { node24, nodeHome } = await ensureNode({ log, version: TOOL_NODE_VERSION });
  const binding = await ensureSqliteBinding({ node: node24, nodeHome, log });
  const env = preloadEnv({
    ...process.env,
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
    // Native modules that a nested `npm install` compiles must use that Node's headers (not ~/.npmrc's).
    npm_config_nodedir: nodeHome,
    HANGAR_NODE_REEXEC: '1',
  }, binding);
  const child = spawn(node24, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  // Ctrl+C reaches the whole foreground group: the child handles it; this process only waits for it.
  const forward = (signal) => () => { if (child.exitCode === null) child.kill(signal); };
  process.on('SIGINT', () => {});
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1))));
  process.exit(code);
}
