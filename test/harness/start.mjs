// `npm start`: build, run the Hangar API on 127.0.0.1:7420 (HANGAR_PORT overrides) with the default
// data dir (~/.hangar unless HANGAR_DATA_DIR is set), and open VS Code with the extension loaded:
// desktop `code` with --extensionDevelopmentPath when it is on PATH, otherwise code-server on
// 127.0.0.1:7421 (HANGAR_VSCODE_PORT overrides) with the repo linked in as an installed extension.
// Runs until Ctrl+C, then stops both. First it installs what is missing: the Debian packages
// (test/harness/setup-debian.sh, as root or with sudo) and, where the machine's Node is older than
// 22 (or is 24+, which better-sqlite3 12 does not support), Node 22 into the cache, under which it
// then runs (test/harness/supportedNode.mjs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApi, REPO } from './api.mjs';
import { startCodeServer } from './codeServer.mjs';
import { ensureDebianPackages } from './prereqs.mjs';
import { runOnSupportedNode } from './supportedNode.mjs';

const log = (line) => console.log(`[start] ${line}`);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const extensionFolder = `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase();

function onPath(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

async function main() {
  ensureDebianPackages({ log });
  await runOnSupportedNode({ log });
  log(`building (node esbuild.mjs) on Node ${process.versions.node}`);
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`build failed (exit ${build.status})`);

  const port = Number(process.env.HANGAR_PORT || 7420);
  const api = await startApi({
    port,
    dataDir: process.env.HANGAR_DATA_DIR || undefined,
    useDefaultDataDir: !process.env.HANGAR_DATA_DIR,
    log,
  });
  const stops = [api.stop];
  let desktop;
  const shutdown = async (code = 0) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log('stopping');
    if (desktop && desktop.exitCode === null) desktop.kill('SIGTERM');
    for (const stop of stops.reverse()) await stop().catch((err) => log(`stop: ${err.message}`));
    process.exit(code);
  };
  const onSignal = () => shutdown(0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const settings = { 'hangar.serverUrl': api.url };
  try {
    if (onPath('code') && !process.env.HANGAR_USE_CODE_SERVER) {
      // Desktop VS Code: a development host with the repo as the extension. The user setting is
      // written into a dedicated profile dir so the user's own settings are left alone.
      const userData = path.join(os.homedir(), '.cache', 'hangar-dev-vscode');
      fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
      const settingsFile = path.join(userData, 'User', 'settings.json');
      let existing = {};
      try { existing = JSON.parse(fs.readFileSync(settingsFile, 'utf8')); } catch { /* fresh profile */ }
      fs.writeFileSync(settingsFile, JSON.stringify({ ...existing, ...settings }, null, 2));
      desktop = spawn('code', ['--wait', '--user-data-dir', userData, `--extensionDevelopmentPath=${REPO}`, REPO], {
        stdio: 'inherit', env: { ...process.env, HANGAR_SERVER_URL: api.url },
      });
      log(`VS Code (desktop) started with the extension from ${REPO}`);
      printUrls(api, '(desktop VS Code window)');
      desktop.on('exit', () => shutdown(0));
      return;
    }
    // code-server: the repo is symlinked into the extensions dir as an installed extension, so a
    // rebuild + "Developer: Reload Window" picks up changes (verified: code-server loads a symlinked folder).
    const cs = await startCodeServer({
      workspace: process.env.HANGAR_WORKSPACE || REPO,
      smokeDriver: false,
      settings,
      // The extension finds the local token where the API wrote it.
      env: { HANGAR_SERVER_URL: api.url, ...(process.env.HANGAR_DATA_DIR ? { HANGAR_DATA_DIR: process.env.HANGAR_DATA_DIR } : {}) },
      port: Number(process.env.HANGAR_VSCODE_PORT || 7421),
      log,
      linkExtensions: [{ from: REPO, name: extensionFolder, symlink: true }],
    });
    stops.push(cs.stop);
    printUrls(api, `${cs.url}/?folder=${encodeURIComponent(process.env.HANGAR_WORKSPACE || REPO)}`);
  } catch (err) {
    log(`ERROR: ${err.message}`);
    await shutdown(1);
  }
}

function printUrls(api, vscode) {
  console.log('');
  console.log(`  VS Code:    ${vscode}`);
  console.log(`  Hangar API: ${api.url}   (token in ${path.join(api.dataDir, 'local-token')})`);
  console.log('  Ctrl+C stops both.');
  console.log('');
}

main().catch((err) => { console.error(`[start] ${err.message}`); process.exit(1); });
