import type { Db } from '../db/database';
import { TokenCreate, type ApiToken, type Me, type TokenCreated } from '../contract';
import { conflict, notFound } from '../errors';
import { generateToken, hashToken, looksLikeToken, newId } from '../security/tokens';

export interface AuthUser {
  id: string;
  username: string;
  role: 'admin' | 'user';
  tokenId: string;
  tokenName: string;
}

/** Last-used times are written at most this often per token, so reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class UserService {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly db: Db) {}

  async createUser(username: string, role: 'admin' | 'user'): Promise<{ id: string }> {
    if (!/^[a-z0-9][a-z0-9._-]{0,39}$/.test(username)) {
      throw conflict('invalid_username', 'A username is 1-40 lowercase letters, digits, dots, dashes or underscores.');
    }
    const exists = await this.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (exists) throw conflict('user_exists', `A user named "${username}" already exists.`);
    const id = newId();
    await this.db.insertInto('users').values({ id, username, role, created_at: new Date().toISOString() }).execute();
    return { id };
  }

  listUsers() {
    return this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
  }

  async userByName(username: string) {
    const user = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!user) throw notFound(`User "${username}"`);
    return user;
  }

  async createToken(userId: string, rawName: string): Promise<TokenCreated> {
    // Every caller (route, CLI, tests) gets the same rule: no control characters in a name.
    const { name } = TokenCreate.parse({ name: rawName });
    const secret = generateToken();
    const row = { id: newId(), user_id: userId, name, token_hash: hashToken(secret), created_at: new Date().toISOString(), last_used_at: null, revoked_at: null };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { token: toApiToken(row), secret };
  }

  async listTokens(userId?: string): Promise<(ApiToken & { username: string })[]> {
    let q = this.db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'users.username'])
      .orderBy('api_tokens.created_at');
    if (userId) q = q.where('api_tokens.user_id', '=', userId);
    const rows = await q.execute();
    return rows.map((r) => ({ ...toApiToken(r), username: r.username }));
  }

  /** Revokes a token; with `userId`, only that user's own token. */
  async revokeToken(tokenId: string, userId?: string): Promise<ApiToken> {
    let q = this.db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId);
    if (userId) q = q.where('user_id', '=', userId);
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('Token');
    const revoked_at = row.revoked_at ?? new Date().toISOString();
    await this.db.updateTable('api_tokens').set({ revoked_at }).where('id', '=', tokenId).execute();
    return toApiToken({ ...row, revoked_at });
  }

  /** The user a bearer token belongs to, or null when it is unknown or revoked. */
  async authenticate(secret: string): Promise<AuthUser | null> {
    if (!looksLikeToken(secret)) return null;
    const row = await this.db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id as tokenId', 'api_tokens.name as tokenName', 'api_tokens.revoked_at', 'users.id', 'users.username', 'users.role'])
      .where('api_tokens.token_hash', '=', hashToken(secret))
      .executeTakeFirst();
    if (!row || row.revoked_at) return null;
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(row.tokenId) ?? 0) > LAST_USED_RESOLUTION_MS) {
      this.lastUsedWritten.set(row.tokenId, now);
      await this.db.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', row.tokenId).execute();
    }
    return { id: row.id, username: row.username, role: row.role, tokenId: row.tokenId, tokenName: row.tokenName };
  }

  static me(user: AuthUser): Me {
    return { id: user.id, username: user.username, role: user.role, tokenName: user.tokenName };
  }
}

function toApiToken(r: { id: string; name: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return { id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}
