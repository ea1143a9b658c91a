// Starts the loopback "GitHub" (bare repositories over smart HTTPS, token-checked: test/fixtures/gitHttp)
// in a child process for the in-VS-Code suite; the API trusts its certificate via HANGAR_GIT_CA_FILE.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { REPO } from './api.mjs';
import { SECRET_MARKER } from './secretsScan.mjs';

/** @returns {Promise<{origin:string, caFile:string, root:string, token:string, stop:()=>Promise<void>}>} */
export async function startGitFixture({ log = () => {} } = {}) {
  const token = `ghp_test_${SECRET_MARKER}${crypto.randomBytes(12).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/vscode/fakeGithubMain.ts')], {
    cwd: REPO, env: { ...process.env, HANGAR_TEST_GIT_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c.toString(); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const info = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the fake GitHub did not start within 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (c) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) { clearTimeout(timer); try { resolve(JSON.parse(line)); } catch (e) { reject(e); } }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the fake GitHub exited (${code}): ${stderr}`)); });
  });
  log(`fake GitHub ${info.origin} (pid ${child.pid})`);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { ...info, token, stop };
}
