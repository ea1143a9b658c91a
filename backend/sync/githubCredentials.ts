import type { GithubCredentialInfo } from '../contract';
import type { Db } from '../db/database';
import { badRequest } from '../errors';
import type { SecretBox } from '../runtime/secretBox';

export const githubContext = (userId: string) => `user:${userId}:github`;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** "ghp_…a1b2": a recognisable prefix and the last four characters. */
export function maskToken(token: string): string {
  const prefix = /^(gh[pousr]_|github_pat_)/.exec(token)?.[0] ?? '';
  return token.length >= 16 ? `${prefix}…${token.slice(-4)}` : `${prefix}…`;
}

/**
 * Each user's GitHub token, sealed at rest. The token leaves this class only through `tokenFor`,
 * and only for a repository on the host it was set for: never to another server.
 */
export class GithubCredentials {
  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async set(userId: string, token: string, host = 'github.com'): Promise<GithubCredentialInfo> {
    const h = host.trim().toLowerCase();
    if (!HOST.test(h)) throw badRequest('invalid_host', `"${host.slice(0, 100)}" is not a host name like github.com or github.example.com:8443.`);
    if (/\s/.test(token)) throw badRequest('invalid_token', 'The token contains spaces; paste only the token.');
    const now = new Date().toISOString();
    const token_enc = this.box.seal(token, githubContext(userId));
    await this.db.insertInto('github_credentials')
      .values({ user_id: userId, host: h, token_enc, hint: maskToken(token), login: null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ host: h, token_enc, hint: maskToken(token), login: null, updated_at: now }))
      .execute();
    return this.info(userId);
  }

  async info(userId: string): Promise<GithubCredentialInfo> {
    const row = await this.db.selectFrom('github_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!row) return { configured: false, hint: null, host: null, login: null, createdAt: null };
    return { configured: true, hint: row.hint, host: row.host, login: row.login, createdAt: row.created_at };
  }

  /** true when there was one to remove. */
  async remove(userId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('github_credentials').where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** The decrypted token for a repository on `host` (host[:port]); undefined when none fits. */
  async tokenFor(userId: string, host: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('github_credentials').select(['host', 'token_enc']).where('user_id', '=', userId).executeTakeFirst();
    if (!row || row.host !== host.toLowerCase()) return undefined;
    return this.box.open(row.token_enc, githubContext(userId));
  }
}
