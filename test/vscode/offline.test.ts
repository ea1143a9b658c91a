import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, env, snapshot, waitFor } from './helpers';

/** A second real API (system node: the API's native module is built for it), so this suite can stop it. */
async function startSecondApi(repo: string): Promise<{ url: string; token: string; child: ChildProcess }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hangar-offline-'));
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn('node', [path.join(repo, 'dist', 'backend', 'main.js')], {
    cwd: repo,
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_PORT: String(port), HANGAR_HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  const token = await waitFor('the second API', async () => {
    try {
      const ok = (await fetch(`${url}/api/health`)).ok;
      return ok ? readFileSync(path.join(dataDir, 'local-token'), 'utf8').trim() : '';
    } catch {
      return '';
    }
  }, (t) => t.length > 0, 20_000);
  return { url, token, child };
}

describe('offline and disconnect', () => {
  let second: Awaited<ReturnType<typeof startSecondApi>> | undefined;

  after(() => {
    if (second && second.child.exitCode === null) second.child.kill('SIGKILL');
  });

  it('disconnect removes the stored token', async () => {
    assert.equal((await snapshot()).hasStoredToken, true);
    await vscode.commands.executeCommand('hangar.disconnect');
    const s = await snapshot();
    assert.equal(s.connection, 'disconnected');
    assert.equal(s.statusBarText, '$(plug) Hangar: not connected');
    assert.deepEqual(s.projectNames, []);
    // The secret is gone: connecting again to the same URL would have to ask (or use the local token).
    await vscode.commands.executeCommand('hangar.connect', { url: env('HANGAR_TEST_API_URL') });
    assert.equal((await snapshot()).hasStoredToken, true);
    await vscode.commands.executeCommand('hangar.disconnect');
    assert.equal((await snapshot()).hasStoredToken, false);
  });

  it('shows offline when the API stops', async () => {
    const ext = await activeExtension();
    second = await startSecondApi(ext.extensionPath);
    await vscode.commands.executeCommand('hangar.connect', { url: second.url, token: second.token });
    await waitFor('connected to the second API', snapshot, (s) => s.connection === 'connected');
    second.child.kill('SIGTERM');
    const s = await waitFor('offline', snapshot, (v) => v.connection === 'offline', 15_000);
    // Offline with data from the local store (issue 14): the status bar says how old it is.
    assert.match(s.statusBarText ?? '', /^\$\(debug-disconnect\) Hangar: offline · data from (just now|\d+ (s|min|h) ago)$/);
    await vscode.commands.executeCommand('hangar.disconnect');
  });
});
