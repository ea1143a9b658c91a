import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';

/**
 * The key that encrypts secrets at rest (provider credentials, server passwords). From the
 * environment when given; otherwise a file in the data dir, created once with mode 0600.
 */
export function loadEncryptionKey(source: Config['encryptionKey']): Buffer {
  if (source.source === 'env') return Buffer.from(source.key, 'base64');
  if (fs.existsSync(source.file)) {
    const key = Buffer.from(fs.readFileSync(source.file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`HANGAR_ENCRYPTION_KEY_FILE (${source.file}) must hold 32 bytes in base64; it holds ${key.length}.`);
    return key;
  }
  fs.mkdirSync(path.dirname(source.file), { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(source.file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
