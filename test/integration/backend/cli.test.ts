import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { client, startTestApi } from '../support/apiServer';
import { testDatabaseEnv } from '../../harness/postgres.mjs';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

async function cli(dataDir: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', path.join(root, 'backend/cli.ts'), ...args], {
    env: { ...process.env, HANGAR_DATA_DIR: dataDir, ...(await testDatabaseEnv(dataDir)) }, cwd: root,
  });
}

describe('hangar-api CLI', function () {
  // Each call starts Node with tsx (seconds on a loaded machine); three in a row came close to 30 s.
  this.timeout(90_000);
  it('creates a token the API accepts, lists it without its secret, and revokes it', async () => {
    const api = await startTestApi();
    try {
      const { stdout } = await cli(api.dataDir, 'token', 'create', '--name', 'ci');
      const secret = stdout.trim();
      assert.match(secret, /^hgr_/);
      assert.equal((await client(api.url, secret).get('/api/me')).status, 200);
      const list = (await cli(api.dataDir, 'token', 'list')).stdout;
      assert.match(list, / ci /);
      assert.ok(!list.includes(secret));
      const id = list.split('\n').find((l) => l.includes(' ci '))!.split(/\s+/)[0]!;
      await cli(api.dataDir, 'token', 'revoke', id);
      assert.equal((await client(api.url, secret).get('/api/me')).status, 401);
    } finally {
      await api.close();
    }
  });

  it('creates users and tokens for them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-cli-'));
    await cli(dir, 'user', 'create', 'carol');
    const { stdout } = await cli(dir, 'token', 'create', '--user', 'carol');
    const api = await startTestApi({}, dir);
    try {
      const me = await client(api.url, stdout.trim()).get<{ username: string; role: string }>('/api/me');
      assert.deepEqual([me.body.username, me.body.role], ['carol', 'user']);
    } finally {
      await api.close();
    }
  });

  it('fails with a clear line for an unknown user', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-cli-'));
    await assert.rejects(cli(dir, 'token', 'create', '--user', 'ghost'), (err: { stderr: string; code: number }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stderr.trim(), 'hangar-api: User "ghost" was not found.');
      return true;
    });
  });
});

describe('API start-up', () => {
  it('stops with one line naming a bad variable', async () => {
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', path.join(root, 'backend/main.ts')], { env: { ...process.env, HANGAR_PORT: 'eighty' }, cwd: root }),
      (err: { stderr: string; code: number }) => {
        assert.equal(err.code, 2);
        assert.equal(err.stderr.trim().split('\n').length, 1);
        assert.match(err.stderr, /^hangar-api: HANGAR_PORT="eighty" is invalid/);
        return true;
      },
    );
  });
});
