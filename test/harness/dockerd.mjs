// A private Docker engine for the docker-runtime tests (recipe: /work/shared/docs/docker.md).
// Idempotent: reuses a daemon that already answers (DOCKER_HOST, or ours under /tmp/hangar-docker),
// otherwise starts `dockerd` by hand (no systemd here; `service docker start` fails on ulimit).
// Under CI=true a daemon that cannot be started is an error; elsewhere the caller may skip.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const DOCKER_ROOT = process.env.HANGAR_DOCKER_ROOT || '/tmp/hangar-docker';
const SOCKET = path.join(DOCKER_ROOT, 'docker.sock');
const PIDFILE = path.join(DOCKER_ROOT, 'dockerd.pid');
const LOGFILE = path.join(DOCKER_ROOT, 'dockerd.log');
const OWN_HOST = `unix://${SOCKET}`;

/** Users of a daemon this process started; it is stopped when the last one releases it. */
let startedHere = null;
let users = 0;

/** GET /_ping against a DOCKER_HOST (unix:// or tcp://), true when the engine answers OK. */
export function ping(dockerHost, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const opts = { path: '/_ping', method: 'GET', timeout: timeoutMs };
    if (dockerHost.startsWith('unix://')) opts.socketPath = dockerHost.slice('unix://'.length);
    else {
      const u = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      opts.host = u.hostname;
      opts.port = Number(u.port || 2375);
    }
    const req = http.request(opts, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function which(cmd) {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`]).toString().trim() || null; } catch { return null; }
}

function readPid() {
  try { const pid = Number(fs.readFileSync(PIDFILE, 'utf8').trim()); return pid > 0 ? pid : null; } catch { return null; }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function launch(storageDriver, log) {
  fs.mkdirSync(DOCKER_ROOT, { recursive: true });
  const out = fs.openSync(LOGFILE, 'a');
  const child = spawn('dockerd', [
    '--host', OWN_HOST,
    '--data-root', path.join(DOCKER_ROOT, 'data'),
    '--exec-root', path.join(DOCKER_ROOT, 'exec'),
    '--pidfile', PIDFILE,
    '--storage-driver', storageDriver,
    '--exec-opt', 'native.cgroupdriver=cgroupfs',
  ], { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  let exited = null;
  child.on('exit', (code, signal) => { exited = code ?? signal; });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await ping(OWN_HOST, 500)) {
      log(`dockerd pid ${child.pid} ready (${storageDriver}) at ${OWN_HOST}`);
      return child.pid;
    }
    if (exited !== null) break;
    await sleep(250);
  }
  if (exited === null) { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }
  const tail = fs.readFileSync(LOGFILE, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`dockerd (${storageDriver}) did not become ready${exited !== null ? ` (exited ${exited})` : ''}; ${LOGFILE}:\n${tail}`);
}

/** A mkdir lock so two test processes do not both start a daemon on the same socket. */
async function withLock(fn) {
  const lock = path.join(DOCKER_ROOT, '.start-lock');
  fs.mkdirSync(DOCKER_ROOT, { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try { fs.mkdirSync(lock); break; } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 60_000) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: err });
      await sleep(200);
    }
  }
  try { return await fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

/**
 * Makes sure a Docker engine answers. Returns { dockerHost, startedHere, stop }: stop() stops the
 * daemon only when this process started it and no other caller in the process still uses it.
 */
export async function startDockerd({ log = (line) => console.log(`[dockerd] ${line}`) } = {}) {
  const started = Date.now();
  let dockerHost;
  if (process.env.DOCKER_HOST && await ping(process.env.DOCKER_HOST)) dockerHost = process.env.DOCKER_HOST;
  else if (await ping(OWN_HOST)) dockerHost = OWN_HOST;
  else {
    if (!which('dockerd')) {
      throw new Error('dockerd is not installed: apt-get install -y docker.io (test/harness/setup-debian.sh does it)');
    }
    dockerHost = await withLock(async () => {
      if (await ping(OWN_HOST)) return OWN_HOST; // another process won the race
      const stale = readPid();
      if (stale && alive(stale)) throw new Error(`dockerd pid ${stale} (${PIDFILE}) runs but does not answer on ${SOCKET}; see ${LOGFILE}`);
      fs.rmSync(PIDFILE, { force: true });
      fs.rmSync(SOCKET, { force: true });
      try {
        startedHere = await launch('overlay2', log);
      } catch (err) {
        log(`overlay2 failed, retrying with vfs: ${err.message.split('\n')[0]}`);
        startedHere = await launch('vfs', log);
      }
      return OWN_HOST;
    });
  }
  users += 1;
  log(`engine at ${dockerHost} in ${Date.now() - started} ms${startedHere ? ' (started here)' : ' (reused)'}`);
  let released = false;
  return {
    dockerHost,
    startedHere: startedHere !== null,
    stop: async () => {
      if (released) return;
      released = true;
      users -= 1;
      if (users === 0 && startedHere !== null && !process.env.HANGAR_KEEP_DOCKERD) await stopDockerd();
    },
  };
}

/**
 * For test files: the engine, or null when it cannot run here and we are not in CI (caller skips).
 * Under CI=true every failure is thrown.
 */
export async function requireDockerd(opts) {
  try {
    return await startDockerd(opts);
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.warn(`[dockerd] not available, docker tests skipped: ${err.message}`);
    return null;
  }
}

/** Stops the daemon under DOCKER_ROOT by its pid file (it stops its containerd and shims). */
export async function stopDockerd() {
  const pid = readPid();
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  startedHere = null;
}

// `node test/harness/dockerd.mjs [stop]`: start (or find) the engine and print DOCKER_HOST.
if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  // No top-level await: test files written in TypeScript load this module through require().
  (process.argv[2] === 'stop' ? stopDockerd() : startDockerd({ log: (l) => console.error(`[dockerd] ${l}`) })
    .then((d) => console.log(`export DOCKER_HOST=${d.dockerHost}`)))
    .catch((err) => { console.error(err.message); process.exit(1); });
}
