import type { GithubCredentialInfo, GithubHostCredential } from '../contract';
import type { Db } from '../db/database';
import { badRequest } from '../errors';
import type { SecretBox } from '../runtime/secretBox';

export const githubContext = (userId: string) => `user:${userId}:github`;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
export const DEFAULT_GIT_HOST = 'github.com';

/** "ghp_…a1b2": a recognisable prefix and the last four characters. */
export function maskToken(token: string): string {
  const prefix = /^(gh[pousr]_|github_pat_)/.exec(token)?.[0] ?? '';
  return token.length >= 16 ? `${prefix}…${token.slice(-4)}` : `${prefix}…`;
}

function checkHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (!HOST.test(h)) throw badRequest('invalid_host', `"${host.slice(0, 100)}" is not a host name like github.com or github.example.com:8443.`);
  return h;
}

/**
 * Each user's git tokens, one per host (github.com, a GitHub Enterprise host, a private git host),
 * sealed at rest (migration 0009_github_tokens_per_host). A token leaves this class only through
 * `tokenFor`, and only for a repository on the host it was set for: never to another server.
 */
export class GithubCredentials {
  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async set(userId: string, token: string, host = DEFAULT_GIT_HOST): Promise<GithubCredentialInfo> {
    const h = checkHost(host);
    if (/\s/.test(token)) throw badRequest('invalid_token', 'The token contains spaces; paste only the token.');
    const now = new Date().toISOString();
    const token_enc = this.box.seal(token, githubContext(userId));
    await this.db.insertInto('github_credentials')
      .values({ user_id: userId, host: h, token_enc, hint: maskToken(token), login: null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'host']).doUpdateSet({ token_enc, hint: maskToken(token), login: null, updated_at: now }))
      .execute();
    return this.info(userId, h);
  }

  /** The token for `host` (default: github.com, else the first one), and every host with a token. */
  async info(userId: string, host?: string): Promise<GithubCredentialInfo> {
    const rows = await this.db.selectFrom('github_credentials').select(['host', 'hint', 'login', 'created_at']).where('user_id', '=', userId).orderBy('host').execute();
    const hosts: GithubHostCredential[] = rows.map((r) => ({ host: r.host, hint: r.hint, login: r.login, createdAt: r.created_at }));
    const wanted = host === undefined ? undefined : checkHost(host);
    const row = wanted ? hosts.find((r) => r.host === wanted) : hosts.find((r) => r.host === DEFAULT_GIT_HOST) ?? hosts[0];
    if (!row) return { configured: false, hint: null, host: wanted ?? null, login: null, createdAt: null, hosts };
    return { configured: true, hint: row.hint, host: row.host, login: row.login, createdAt: row.createdAt, hosts };
  }

  /** Removes the token of `host`, or every token without one; true when there was one to remove. */
  async remove(userId: string, host?: string): Promise<boolean> {
    let q = this.db.deleteFrom('github_credentials').where('user_id', '=', userId);
    if (host !== undefined) q = q.where('host', '=', checkHost(host));
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** The decrypted token for a repository on `host` (host[:port]); undefined when none fits. */
  async tokenFor(userId: string, host: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('github_credentials').select('token_enc')
      .where('user_id', '=', userId).where('host', '=', host.toLowerCase()).executeTakeFirst();
    return row ? this.box.open(row.token_enc, githubContext(userId)) : undefined;
  }
}
