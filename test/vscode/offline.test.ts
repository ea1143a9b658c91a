import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, env, snapshot, uniqueName, waitFor } from './helpers';
import { SECRET_MARKER } from '../harness/secretsScan.mjs';

/** A second real API (system node: the API's native module is built for it), so this suite can stop it. */
async function startSecondApi(
  repo: string, again?: { dataDir: string; port: number },
): Promise<{ url: string; token: string; child: ChildProcess; dataDir: string; port: number }> {
  const dataDir = again?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'hangar-offline-'));
  const port = again?.port ?? await new Promise<number>((resolve) => {
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
  return { url, token, child, dataDir, port };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Restarts of the API measured. Each one starts a new API process (about 4–5 s under load), so the
 * suite takes 8 (about 45 s); HANGAR_OFFLINE_SAMPLES=20 gives issue #14's median of 20 (about 110 s).
 */
const SAMPLES = Math.max(2, Number(process.env.HANGAR_OFFLINE_SAMPLES ?? 8));
const STALE = / · (just now|\d+ min ago)$/;

interface ProvidersProbe { status: string; rows: Array<{ id: string; description: string | undefined; tooltip: string | undefined }> }
const providers = async () => vscode.commands.executeCommand<ProvidersProbe>('hangar.internal.providers');

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

  it('a window opened while the API is down shows the last copy marked stale; back, everything is live again', async function () {
    this.timeout(300_000);
    const ext = await activeExtension();
    let api = await startSecondApi(ext.extensionPath);
    second = api;
    const call = (method: string, p: string, body?: unknown) => fetch(`${api.url}${p}`, {
      method, headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const name = uniqueName('offline');
    assert.equal((await call('POST', '/api/projects', { name })).status, 201);
    const key = `sk-offline-${SECRET_MARKER}-0123456789wxyz`;
    assert.ok((await call('POST', '/api/providers/openai/credentials', { type: 'api', key })).ok);
    await vscode.commands.executeCommand('hangar.connect', { url: api.url, token: api.token });
    await waitFor('the project listed', snapshot, (s) => s.connection === 'connected' && s.projectNames.includes(name), 20_000);
    await waitFor('the provider listed', providers, (p) => p.status === 'loaded' && p.rows.some((r) => r.id === 'provider:openai'), 20_000);
    await sleep(2_500); // the offline store writes in batches (1.5 s)

    api.child.kill('SIGKILL');
    await waitFor('offline', snapshot, (s) => s.connection === 'offline', 20_000);
    // What a window opening does: resume with the stored token. The views start empty and fill from the store.
    await vscode.commands.executeCommand('hangar.internal.resume', api.url);
    const s = await waitFor('the copy shown', snapshot, (v) => v.connection === 'offline' && v.projectNames.includes(name), 20_000);
    const row = s.projectRows.find((r) => r.label === name);
    assert.match(row?.description ?? '', STALE, 'the project row says how old its copy is');
    assert.match(row?.tooltip ?? '', /^_Offline: the last known state/);
    assert.ok(s.tierRows.length > 0 && s.tierRows.every((t) => STALE.test(t.description ?? '')), JSON.stringify(s.tierRows));
    const p = await waitFor('providers from the copy', providers, (v) => v.rows.some((r) => r.id === 'provider:openai'), 20_000);
    const openai = p.rows.find((r) => r.id === 'provider:openai');
    assert.match(openai?.description ?? '', STALE);
    assert.ok(!JSON.stringify(p.rows).includes('wxyz'), 'no part of the key in the copy');
    assert.match(s.statusBarText, /Hangar: offline · data from/);
    // A network-only command says why at once instead of running its wizard (which would never return here).
    const refused = await Promise.race([
      vscode.commands.executeCommand('hangar.createProject').then(() => 'returned'), sleep(5_000).then(() => 'wizard'),
    ]);
    assert.equal(refused, 'returned');

    // The API comes back: from its first answer to everything live (status bar, trees unmarked), 20 times.
    const times: number[] = [];
    const loopStarted = performance.now();
    for (let i = 0; i < SAMPLES; i++) {
      api = await startSecondApi(ext.extensionPath, { dataDir: api.dataDir, port: api.port });
      second = api;
      const back = performance.now();
      await waitFor('live again', async () => ({ s: await snapshot(), p: await providers() }), ({ s: v, p: pv }) => v.connection === 'connected'
        && v.statusBarText === '$(server) Hangar'
        && v.projectRows.some((r) => r.label === name && !STALE.test(r.description ?? ''))
        && v.tierRows.every((t) => !STALE.test(t.description ?? ''))
        && pv.rows.some((r) => r.id === 'provider:openai' && !STALE.test(r.description ?? '')), 60_000);
      times.push(performance.now() - back);
      api.child.kill('SIGKILL');
      await waitFor('offline', snapshot, (v) => v.connection === 'offline', 20_000);
      await sleep(300 + Math.random() * 700);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mid = Math.floor(SAMPLES / 2);
    const median = SAMPLES % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    console.log(`[offline] API answering → everything live in the real VS Code: median ${median.toFixed(0)} ms `
      + `(n=${SAMPLES}, the loop took ${((performance.now() - loopStarted) / 1000).toFixed(1)} s), `
      + `all ${sorted.map((t) => t.toFixed(0)).join(', ')} ms`);
    await vscode.commands.executeCommand('hangar.disconnect');
  });
});
