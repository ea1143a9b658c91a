// Starts a real Hangar management API (dist/backend/main.js) for a test run or `npm start`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './codeServer.mjs';
import { testDatabaseEnv } from './postgres.mjs';
import { recordDataDir, removeDataDir } from './scanRegistry.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @param {object} [o]
 * @param {string} [o.dataDir] HANGAR_DATA_DIR; a fresh temp dir when omitted (unless useDefaultDataDir)
 * @param {boolean} [o.useDefaultDataDir] pass no HANGAR_DATA_DIR: the server uses ~/.hangar
 * @param {number} [o.port] default: a free port
 * @param {object} [o.env] extra env for the server
 * @param {string} [o.entry] default dist/backend/main.js (HANGAR_TEST_API_ENTRY overrides, for harness self-tests)
 * @returns {Promise<{url:string, token:string, dataDir:string, logFile:string, pid:number, stop:(o?:{keepData?:boolean})=>Promise<void>}>}
 */
export async function startApi({ dataDir, useDefaultDataDir = false, port, env = {}, entry, log = () => {} } = {}) {
  entry ??= process.env.HANGAR_TEST_API_ENTRY || path.join(REPO, 'dist', 'backend', 'main.js');
  if (!fs.existsSync(entry)) throw new Error(`API entry ${entry} not found: build first (node esbuild.mjs)`);
  const ownsDataDir = !dataDir && !useDefaultDataDir; // a temp dir we made is removed again on stop()
  if (ownsDataDir) dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-api-'));
  const effectiveDataDir = dataDir ?? path.join(os.homedir(), '.hangar');
  fs.mkdirSync(effectiveDataDir, { recursive: true });
  if (dataDir) recordDataDir(dataDir); // for the secrets scan after the suite (scanRegistry.mjs)
  port ??= await freePort();

  // Local stand-ins (fake LLM, a local model server) listen on loopback, which provider URLs may not name by default.
  const childEnv = { HANGAR_ALLOW_PRIVATE_HOSTS: '127.0.0.1,localhost,::1', ...process.env, HANGAR_HOST: '127.0.0.1', HANGAR_PORT: String(port), ...env };
  if (dataDir) childEnv.HANGAR_DATA_DIR = dataDir; else delete childEnv.HANGAR_DATA_DIR;
  // HANGAR_TEST_DATABASE=postgres: a database of its own per data dir (unless env names one).
  if (!env.HANGAR_DATABASE_URL) Object.assign(childEnv, await testDatabaseEnv(effectiveDataDir));

  const logFile = path.join(effectiveDataDir, 'api.log');
  const out = fs.openSync(logFile, 'a');
  // The Node running the harness (22: `npm start`/`npm test` switch to the cached Node 22 on another one).
  const child = spawn(process.execPath, [entry], { cwd: REPO, env: childEnv, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exitCode = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { exitCode = code ?? signal; resolve(); }));
  log(`API pid ${child.pid} on port ${port}, data ${effectiveDataDir}`);

  let stopping;
  // stop({ keepData: true }) keeps a temp data dir (api.log) for a failure report.
  const stop = ({ keepData = !!process.env.HANGAR_KEEP_STATE } = {}) => (stopping ??= (async () => {
    if (exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (ownsDataDir && !keepData) {
      // Local processes outlive the API by design; a desktop's Xvfb and x11vnc would outlive the data dir too.
      stopDesktops(dataDir);
      removeDataDir(dataDir);
    }
  })());

  const url = `http://127.0.0.1:${port}`;
  const tail = () => fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== null) { const t = tail(); await stop({ keepData: true }); throw new Error(`API exited (${exitCode}) during startup; ${logFile}:\n${t}`); }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop({ keepData: true }); throw new Error(`API not healthy after 30 s; ${logFile}:\n${tail()}`); }
    await new Promise((r) => setTimeout(r, 150));
  }

  // The server writes its local token (mode 0600) on first start; give it a moment after health.
  const tokenFile = path.join(effectiveDataDir, 'local-token');
  let token;
  for (let i = 0; i < 50 && !token; i++) {
    try { token = fs.readFileSync(tokenFile, 'utf8').trim(); } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  if (!token) { await stop(); throw new Error(`API is healthy but wrote no token at ${tokenFile}`); }
  return { url, token, dataDir: effectiveDataDir, logFile, pid: child.pid, stop };
}

/** Ends the Xvfb and x11vnc of every desktop-tier project under the data dir (their pids are in desktop.json). */
function stopDesktops(dataDir) {
  const projects = path.join(dataDir, 'projects');
  if (!fs.existsSync(projects)) return;
  for (const id of fs.readdirSync(projects)) {
    try {
      const r = JSON.parse(fs.readFileSync(path.join(projects, id, 'desktop.json'), 'utf8'));
      for (const pid of [r.vncPid, r.xvfbPid]) if (Number.isInteger(pid) && pid > 1) { try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ } }
    } catch { /* no desktop */ }
  }
}
