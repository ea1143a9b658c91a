import assert from 'node:assert/strict';
import { HttpError } from '../../../../backend/errors';
import { KDF_PARAMS, openSecrets, sealSecrets } from '../../../../backend/settings/secretsEnvelope';

const secrets = {
  providers: { openai: { type: 'api' as const, key: 'sk-unit-test-0123456789' } },
  github: { 'github.com': 'ghp_unit_test_token_0123' },
  notificationWebhookSecret: 'a-signing-key-of-16+',
};

describe('settings/secretsEnvelope', function () {
  this.timeout(20_000);

  it('seals with scrypt (128 MiB) and AES-256-GCM, and opens with the same passphrase', async () => {
    const env = await sealSecrets(secrets, 'correct horse battery');
    assert.deepEqual({ N: env.kdf.N, r: env.kdf.r, p: env.kdf.p }, KDF_PARAMS);
    assert.equal(env.cipher, 'aes-256-gcm');
    assert.ok(!JSON.stringify(env).includes('sk-unit-test'), 'no secret in clear');
    assert.deepEqual(await openSecrets(env, 'correct horse battery'), secrets);
  });

  it('a wrong passphrase or a changed byte is a 400 wrong_passphrase', async () => {
    const env = await sealSecrets(secrets, 'correct horse battery');
    await assert.rejects(openSecrets(env, 'wrong horse battery!'), (e: HttpError) => e.status === 400 && e.code === 'wrong_passphrase');
    const data = Buffer.from(env.data, 'base64');
    data[0] = data[0]! ^ 1;
    await assert.rejects(openSecrets({ ...env, data: data.toString('base64') }, 'correct horse battery'),
      (e: HttpError) => e.code === 'wrong_passphrase');
  });

  it('refuses KDF parameters that would take more than 256 MiB (a hostile file)', async () => {
    const env = await sealSecrets(secrets, 'correct horse battery');
    await assert.rejects(openSecrets({ ...env, kdf: { ...env.kdf, N: 2 ** 20 } }, 'correct horse battery'),
      (e: HttpError) => e.status === 400 && /256 MiB/.test(e.message));
  });
});
