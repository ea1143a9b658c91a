import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM with the server's encryption key.
 * Format `v1.<iv>.<tag>.<ciphertext>` (base64url parts) so the scheme can change later
 * without guessing what a stored value is. The caller's `context` (like
 * "project:<id>:opencode_password") is bound as additional data: a value copied into another
 * row or column does not decrypt there.
 */
export class SecretBox {
  private static readonly VERSION = 'v1';

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`SecretBox needs a 32-byte key; got ${key.length} bytes.`);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [SecretBox.VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts[0] !== SecretBox.VERSION || parts.length !== 4) {
      throw new SecretBoxError(`unsupported secret format "${parts[0] ?? ''}" (expected ${SecretBox.VERSION})`);
    }
    const [, iv, tag, data] = parts as [string, string, string, string];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // Never echo the value: only say which secret could not be opened.
      throw new SecretBoxError(`cannot decrypt ${context}: wrong encryption key or tampered value`);
    }
  }
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/** A random secret suitable for a server password or an HMAC key (256 bits, base64url). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
