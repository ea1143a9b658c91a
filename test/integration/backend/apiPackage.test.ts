import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { client } from '../support/apiServer';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

/**
 * The environment of a user's shell: no npm_* variables of the mocha run, no HANGAR_* of the repo
 * (but for packing, the harness's better-sqlite3 built for the Node that runs us, when it set one).
 */
function cleanEnv(extra: Record<string, string>, keepSqlite = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|HANGAR_)/i.test(k) || (keepSqlite && /^HANGAR_SQLITE_/.test(k))) env[k] = v;
  return { ...env, ...extra };
}

/** Resolves with the URL the server logs once it listens. */
function listeningUrl(child: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in 20 s:\n${log.join('')}`)), 20_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      const m = /listening on (http:\/\/\S+)/.exec(log.join(''));
      if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hangar-api serve exited ${code}:\n${log.join('')}`)); });
  });
}

describe('hangar-api installed from its npm package, outside the clone', () => {
  it('packs, installs into a prefix, serves, and accepts a token made by its own CLI', async function () {
    this.timeout(300_000);
    const started = Date.now();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-pack-'));
    const prefix = path.join(tmp, 'prefix');
    const dataDir = path.join(tmp, 'data');
    let server: ChildProcess | undefined;
    try {
      await run('npm', ['run', '--silent', 'pack:api'], { cwd: root, env: cleanEnv({}, true) });
      const tarball = path.join(root, 'dist', `hangar-api-${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version}.tgz`);
      const packed = fs.statSync(tarball).size;
      await run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, env: cleanEnv({}), maxBuffer: 16 << 20 });
      const bin = path.join(prefix, 'bin', 'hangar-api');
      const installedIn = fs.realpathSync(bin);
      assert.ok(!installedIn.startsWith(root), `${installedIn} is inside the clone`);

      const help = (await run(bin, ['--help'], { cwd: tmp, env: cleanEnv({}) })).stdout;
      for (const v of ['HANGAR_PORT', 'HANGAR_DATA_DIR', 'HANGAR_RUNTIME', 'HANGAR_DOCKER_IMAGE', 'HANGAR_COOLIFY_URL']) assert.match(help, new RegExp(`^ {2}${v} `, 'm'));

      const env = cleanEnv({ HANGAR_DATA_DIR: dataDir, HANGAR_PORT: '0', HANGAR_HOST: '127.0.0.1', HANGAR_MODELS_URL: 'off' });
      server = spawn(bin, ['serve'], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const url = await listeningUrl(server, []);
      const secret = (await run(bin, ['token', 'create', '--name', 'laptop'], { cwd: tmp, env })).stdout.trim();
      assert.match(secret, /^hgr_/);
      const me = await client(url, secret).get<{ username: string; tokenName: string }>('/api/me');
      assert.equal(me.status, 200);
      assert.deepEqual([me.body.username, me.body.tokenName], ['admin', 'laptop']);
      assert.equal((await client(url, 'hgr_not-a-token').get('/api/me')).status, 401);
      console.log(`      (tarball ${packed} bytes; pack → install → serve → token → call in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } finally {
      server?.kill('SIGTERM');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
