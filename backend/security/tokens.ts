import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** API tokens look like `hgr_<43 base64url chars>`; only their SHA-256 is stored. */
export const TOKEN_PREFIX = 'hgr_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return /^hgr_[A-Za-z0-9_-]{43}$/.test(value);
}

export function newId(): string {
  return randomUUID();
}
