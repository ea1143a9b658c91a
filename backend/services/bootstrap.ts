import fs from 'node:fs';
import path from 'node:path';
import type { UserService } from './users';
import type { TierService } from './tiers';

export interface BootstrapResult {
  seededTiers: boolean;
  /** Set when this start created the admin and wrote its token to `tokenFile`. */
  createdAdmin: boolean;
  tokenFile: string;
}

/**
 * First start: the four tiers, an admin user, and its token in <data dir>/local-token (0600).
 * Users made with the CLI before the first start do not stop the admin from being created.
 */
export async function bootstrap(dataDir: string, users: UserService, tiers: TierService): Promise<BootstrapResult> {
  const seededTiers = await tiers.seedIfEmpty();
  const tokenFile = path.join(dataDir, 'local-token');
  const existing = await users.listUsers();
  if (existing.some((u) => u.role === 'admin')) return { seededTiers, createdAdmin: false, tokenFile };
  const name = existing.some((u) => u.username === 'admin') ? `admin-${Date.now().toString(36)}` : 'admin';
  const admin = await users.createUser(name, 'admin');
  const { secret } = await users.createToken(admin.id, 'local');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.rmSync(tokenFile, { force: true });
  fs.writeFileSync(tokenFile, secret + '\n', { mode: 0o600 });
  return { seededTiers, createdAdmin: true, tokenFile };
}
