import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../../../backend/config';
import { openDatabase } from '../../../backend/db/database';
import { silentLogger } from '../../../backend/logger';
import { coolifyDriverFactory } from '../../../backend/runtime/coolify';
import { createDriver } from '../../../backend/runtime/registry';
import { loadSealedSettings } from '../../../backend/runtime/runtimeSettings';
import { SecretBox } from '../../../backend/runtime/secretBox';
import { loadEncryptionKey } from '../../../backend/security/encryptionKey';
import { startCoolifyServer, type CoolifyContractServer } from '../../fixtures/coolify/server';
import { envFor } from './coolifySupport';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const root = path.resolve(__dirname, '../../..');

/** Runs the CLI from source with `stdin` piped in (never on the command line). */
function cli(dataDir: string, args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HANGAR_DATA_DIR: dataDir };
    delete env.HANGAR_COOLIFY_TOKEN;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'backend/cli.ts'), ...args], { env, cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** What the server does at start-up: the sealed runtime settings, then the coolify factory. */
async function buildDriver(dataDir: string, env: Record<string, string>) {
  const config = loadConfig({ HANGAR_DATA_DIR: dataDir, HANGAR_RUNTIME: 'coolify' });
  const db = await openDatabase(config.database);
  try {
    const settings = await loadSealedSettings(db);
    const box = new SecretBox(loadEncryptionKey(config.encryptionKey));
    return createDriver({ config, box, log: silentLogger, settings }, { coolify: (ctx) => coolifyDriverFactory(ctx, env) });
  } finally {
    await db.destroy();
  }
}

describe('Coolify token stored encrypted (hangar-api coolify set-token)', function () {
  this.timeout(60_000);
  const token = '42|StoredTokenFromStdin0123456789abcdef';
  let server: CoolifyContractServer;
  let dataDir: string;

  before(async () => {
    server = await startCoolifyServer({ token });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-coolify-token-'));
  });

  after(async () => {
    await server.close();
    removeDataDir(dataDir);
  });

  it('refuses a token on the command line', async () => {
    const r = await cli(dataDir, ['coolify', 'set-token', token]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /reads the token from stdin, never from the command line/);
  });

  it('refuses empty stdin and a value that is not a token', async () => {
    assert.match((await cli(dataDir, ['coolify', 'set-token'], '')).stderr, /no token on stdin/);
    assert.match((await cli(dataDir, ['coolify', 'set-token'], 'has a space')).stderr, /does not look like a Coolify API token/);
  });

  it('stores only ciphertext, and the driver factory authenticates with it (no HANGAR_COOLIFY_TOKEN)', async () => {
    const r = await cli(dataDir, ['coolify', 'set-token'], `${token}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stored the Coolify API token \(encrypted\)/);
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));

    const sqlite = new SQLite(path.join(dataDir, 'hangar.db'), { readonly: true });
    try {
      const rows = sqlite.prepare('select key, value_encrypted, updated_at from runtime_settings').all() as { key: string; value_encrypted: string }[];
      assert.deepEqual(rows.map((x) => x.key), ['coolify.token']);
      const stored = rows[0]!.value_encrypted;
      assert.match(stored, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      // No piece of the token in the clear: not the whole, not its secret part, not any 8-char window.
      for (let i = 0; i + 8 <= token.length; i++) assert.ok(!stored.includes(token.slice(i, i + 8)), `plaintext piece ${i}`);
    } finally {
      sqlite.close();
    }
    // Nor anywhere in the database files (main file and WAL).
    for (const f of ['hangar.db', 'hangar.db-wal']) {
      const file = path.join(dataDir, f);
      if (fs.existsSync(file)) assert.ok(!fs.readFileSync(file).includes(Buffer.from(token.split('|')[1]!)), `${f} holds the token`);
    }

    const env = envFor(server);
    delete env.HANGAR_COOLIFY_TOKEN;
    const { driver, problem } = await buildDriver(dataDir, env);
    assert.equal(problem, undefined);
    const from = server.requests.length;
    assert.deepEqual(await driver!.list(), []);
    const seen = server.requests.slice(from);
    assert.ok(seen.length > 0);
    assert.ok(seen.every((x) => x.authorized && x.status === 200), JSON.stringify(seen.map((x) => [x.path, x.status])));
    await driver!.close();
  });

  it('the stored token wins over HANGAR_COOLIFY_TOKEN', async () => {
    const { driver } = await buildDriver(dataDir, envFor(server, { HANGAR_COOLIFY_TOKEN: '9|not-the-right-one' }));
    const from = server.requests.length;
    await driver!.list();
    assert.ok(server.requests.slice(from).every((x) => x.authorized));
    await driver!.close();
  });

  it('the stored token is bound to its key: copied into another row it does not decrypt', async () => {
    const config = loadConfig({ HANGAR_DATA_DIR: dataDir });
    const db = await openDatabase(config.database);
    try {
      const settings = await loadSealedSettings(db);
      const box = new SecretBox(loadEncryptionKey(config.encryptionKey));
      assert.equal(box.open(settings['coolify.token']!, 'runtime:coolify:token'), token);
      assert.throws(() => box.open(settings['coolify.token']!, 'project:x:opencode_password'), /cannot decrypt/);
    } finally {
      await db.destroy();
    }
  });

  it('clear-token falls back to HANGAR_COOLIFY_TOKEN; with neither, the problem names both ways', async () => {
    const r = await cli(dataDir, ['coolify', 'clear-token']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed the stored Coolify API token/);
    assert.match((await cli(dataDir, ['coolify', 'clear-token'])).stdout, /no Coolify API token was stored/);

    const fallback = await buildDriver(dataDir, envFor(server));
    assert.equal(fallback.problem, undefined);
    const from = server.requests.length;
    await fallback.driver!.list();
    assert.ok(server.requests.slice(from).every((x) => x.authorized));
    await fallback.driver!.close();

    const env = envFor(server);
    delete env.HANGAR_COOLIFY_TOKEN;
    const none = await buildDriver(dataDir, env);
    assert.equal(none.driver, undefined);
    assert.match(none.problem!, /HANGAR_COOLIFY_TOKEN is missing: .*hangar-api coolify set-token.*or set HANGAR_COOLIFY_TOKEN/);
  });
});
