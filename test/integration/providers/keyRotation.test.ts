import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Project } from '../../../backend/contract';
import { openDatabase } from '../../../backend/db/database';
import { SecretBox, SecretBoxError } from '../../../backend/runtime/secretBox';
import { credentialContext } from '../../../backend/providers/credentials';
import { client, startTestApi } from '../support/apiServer';
import { testDatabaseConfig, testDatabaseEnv } from '../../harness/postgres.mjs';
import { removeDataDir } from '../../harness/scanRegistry.mjs';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

const REPO = path.resolve(__dirname, '..', '..', '..');
const KEY = `sk-rotate-${SECRET_MARKER}-` + randomBytes(12).toString('hex');

/** The sealed columns as stored, read straight from the database (SQLite file or PostgreSQL). */
async function sealedValues(dataDir: string): Promise<{ cred: string; password: string; hook: string }> {
  const db = await openDatabase(await testDatabaseConfig(dataDir));
  try {
    const cred = await db.selectFrom('provider_credentials').select(['secret_enc']).executeTakeFirstOrThrow();
    const p = await db.selectFrom('projects').select(['opencode_password_enc', 'webhook_secret_enc']).executeTakeFirst();
    return { cred: cred.secret_enc, password: p?.opencode_password_enc ?? '', hook: p?.webhook_secret_enc ?? '' };
  } finally {
    await db.destroy();
  }
}

describe('encryption key rotation', function () {
  this.timeout(60_000);

  it('`hangar-api secrets rotate-key` re-encrypts every value, replaces the key file, and the old key no longer opens them', async () => {
    let api = await startTestApi({ HANGAR_MODELS_URL: 'off' });
    const dataDir = api.dataDir;
    try {
      const alice = client(api.url, api.adminToken);
      assert.equal((await alice.post('/api/providers/openai/credentials', { type: 'api', key: KEY })).status, 201);
      const project = (await alice.post<Project>('/api/projects', { name: 'rotating' })).body;
      const userId = (await alice.get<{ id: string }>('/api/me')).body.id;
      const secretsBefore = await api.server.services.projects.secrets(project.id);
      await api.close();
      const keyFile = path.join(dataDir, 'secret.key');
      const oldKey = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
      const before = await sealedValues(dataDir);

      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(REPO, 'backend', 'cli.ts'), 'secrets', 'rotate-key'], {
        cwd: REPO, env: { ...process.env, HANGAR_DATA_DIR: dataDir, HANGAR_MODELS_URL: 'off', ...(await testDatabaseEnv(dataDir)) },
      });
      assert.match(stdout, /re-encrypted [3-9]\d* value\(s\) with the new key/);
      const newKey = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
      assert.equal(newKey.length, 32);
      assert.ok(!newKey.equals(oldKey));
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.ok(!fs.existsSync(`${keyFile}.new`));

      const after = await sealedValues(dataDir);
      for (const k of ['cred', 'password', 'hook'] as const) assert.notEqual(after[k], before[k], `${k} was not re-encrypted`);
      const oldBox = new SecretBox(oldKey);
      assert.throws(() => oldBox.open(after.cred, credentialContext(userId, 'openai')), SecretBoxError);
      assert.equal(JSON.parse(new SecretBox(newKey).open(after.cred, credentialContext(userId, 'openai'))).key, KEY);

      // The server starts on the new key and reads everything it sealed before.
      api = await startTestApi({ HANGAR_MODELS_URL: 'off' }, dataDir);
      assert.deepEqual(await api.server.services.credentials.peek(userId, 'openai'), { type: 'api', key: KEY });
      assert.deepEqual(await api.server.services.projects.secrets(project.id), secretsBefore);
    } finally {
      await api.close().catch(() => {});
      removeDataDir(dataDir);
    }
  });

  it('HANGAR_ENCRYPTION_KEY_PREVIOUS + a new HANGAR_ENCRYPTION_KEY: the server re-encrypts at start', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    let api = await startTestApi({ HANGAR_MODELS_URL: 'off', HANGAR_ENCRYPTION_KEY: oldKey });
    const dataDir = api.dataDir;
    try {
      const alice = client(api.url, api.adminToken);
      await alice.post('/api/providers/openai/credentials', { type: 'api', key: KEY });
      const userId = (await alice.get<{ id: string }>('/api/me')).body.id;
      await api.close();
      // Without the previous key the new one cannot read the old values.
      api = await startTestApi({ HANGAR_MODELS_URL: 'off', HANGAR_ENCRYPTION_KEY: newKey }, dataDir);
      await assert.rejects(api.server.services.credentials.peek(userId, 'openai'), SecretBoxError);
      await api.close();
      api = await startTestApi({ HANGAR_MODELS_URL: 'off', HANGAR_ENCRYPTION_KEY: newKey, HANGAR_ENCRYPTION_KEY_PREVIOUS: oldKey }, dataDir);
      assert.deepEqual(await api.server.services.credentials.peek(userId, 'openai'), { type: 'api', key: KEY });
      const sealed = (await sealedValues(dataDir)).cred;
      assert.throws(() => new SecretBox(Buffer.from(oldKey, 'base64')).open(sealed, credentialContext(userId, 'openai')), SecretBoxError);
    } finally {
      await api.close().catch(() => {});
      removeDataDir(dataDir);
    }
  });
});
