import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { SettingsSecrets, type SecretsEnvelope } from '../contract';
import { badRequest } from '../errors';

/**
 * scrypt with N = 2^17, r = 8, p = 1: 128 MiB of memory per derivation (OWASP's first scrypt
 * choice), about 0.3–0.6 s here. A file may ask for other parameters, within MAX_KDF_MEMORY.
 */
export const KDF_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** A hostile file must not make the server allocate more than this for one derivation. */
const MAX_KDF_MEMORY = 256 * 1024 * 1024;
const AAD = Buffer.from('hangar-settings-secrets/v1');

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  const memory = 128 * p.N * p.r;
  if (memory > MAX_KDF_MEMORY) {
    return Promise.reject(badRequest('invalid_settings_file', 'secrets.kdf: parameters need more than 256 MiB; export the file again.'));
  }
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: memory + 16 * 1024 * 1024 }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** The secrets as JSON, encrypted with AES-256-GCM under a key scrypt derives from the passphrase. */
export async function sealSecrets(secrets: SettingsSecrets, passphrase: string): Promise<SecretsEnvelope> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, KDF_PARAMS);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return {
    kdf: { name: 'scrypt', ...KDF_PARAMS, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'),
  };
}

/** Decrypts and validates; a wrong passphrase (or a changed file) is a 400 that says so, never what was inside. */
export async function openSecrets(envelope: SecretsEnvelope, passphrase: string): Promise<SettingsSecrets> {
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw badRequest('invalid_settings_file', 'secrets: the iv or tag has the wrong length.');
  const key = await deriveKey(passphrase, Buffer.from(envelope.kdf.salt, 'base64'), envelope.kdf);
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw badRequest('wrong_passphrase', 'The passphrase does not open the secrets in this file (or the file was changed).');
  }
  const parsed = SettingsSecrets.safeParse(JSON.parse(plain));
  if (!parsed.success) throw badRequest('invalid_settings_file', `secrets: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  return parsed.data;
}
