import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RedirectProviderConfig } from '../config';
import type { CredentialMeta, RedirectAuthorize } from '../contract';
import type { Db } from '../db/database';
import { badRequest, conflict, HttpError, notFound } from '../errors';
import type { Logger } from '../logger';
import type { CredentialService } from '../providers/credentials';
import type { SecretBox } from '../runtime/secretBox';
import { flowContext } from './deviceFlow';
import { postTokenGrant, TokenEndpointError } from './tokenEndpoint';

/** How long an authorisation link stays valid. */
export const REDIRECT_FLOW_TTL_MS = 10 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** RFC 7636: a 256-bit verifier (43+ characters of base64url) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: sha256(verifier) };
}

const invalidState = () => badRequest('invalid_state', 'This sign-in answer does not match a sign-in you started (wrong or unknown state). Start the sign-in again from Hangar.');

/**
 * Authorisation code + PKCE (S256) for providers listed in HANGAR_OAUTH_PROVIDERS. The API makes
 * the state and verifier; the state is stored only as a hash, the verifier sealed; a state is
 * accepted once, by the user who started it, before it expires.
 */
export class RedirectFlowService {
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly creds: CredentialService,
    private readonly log: Logger,
    private readonly providers: Readonly<Record<string, RedirectProviderConfig>>,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  config(providerId: string): RedirectProviderConfig {
    const cfg = Object.hasOwn(this.providers, providerId) ? this.providers[providerId] : undefined;
    if (!cfg) throw notFound(`A browser sign-in for "${providerId}" (configure it with an API key instead)`);
    return cfg;
  }

  async authorize(userId: string, providerId: string, redirectUri: string): Promise<RedirectAuthorize> {
    const cfg = this.config(providerId);
    // A provider that redirects only to its own page gets that page; the user pastes the code it shows.
    if (!cfg.editorRedirect && cfg.codePageUri) redirectUri = cfg.codePageUri;
    const id = randomUUID();
    const state = randomBytes(32).toString('base64url');
    const { verifier, challenge } = pkcePair();
    const now = this.now();
    const expiresAt = new Date(now + REDIRECT_FLOW_TTL_MS).toISOString();
    await this.db.insertInto('oauth_flows').values({
      id, user_id: userId, provider_id: providerId, kind: 'redirect', status: 'pending', user_code: null, verification_uri: null,
      interval_s: 0, slow_downs: 0, state_hash: sha256(state), redirect_uri: redirectUri, secret_enc: this.box.seal(verifier, flowContext(id)),
      error: null, expires_at: expiresAt, created_at: new Date(now).toISOString(), updated_at: new Date(now).toISOString(),
    }).execute();
    const url = new URL(cfg.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', cfg.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    if (cfg.scopes.length) url.searchParams.set('scope', cfg.scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return { authorizeUrl: url.toString(), state, expiresAt, editorRedirect: cfg.editorRedirect };
  }

  async callback(userId: string, providerId: string, state: string, code: string): Promise<CredentialMeta> {
    const cfg = this.config(providerId);
    const row = await this.db.selectFrom('oauth_flows').selectAll().where('state_hash', '=', sha256(state)).where('kind', '=', 'redirect').executeTakeFirst();
    if (!row || row.user_id !== userId || row.provider_id !== providerId) throw invalidState();
    if (row.status !== 'pending') throw conflict('state_used', 'This sign-in answer was already used. Start the sign-in again from Hangar.');
    const iso = new Date(this.now()).toISOString();
    if (this.now() >= Date.parse(row.expires_at)) {
      await this.db.updateTable('oauth_flows').set({ status: 'expired', secret_enc: null, updated_at: iso }).where('id', '=', row.id).execute();
      throw badRequest('state_expired', 'This sign-in took longer than 10 minutes and expired. Start the sign-in again from Hangar.');
    }
    // Claim the state before the exchange: two callbacks racing with the same state get one success.
    const claimed = await this.db.updateTable('oauth_flows').set({ status: 'complete', secret_enc: null, updated_at: iso })
      .where('id', '=', row.id).where('status', '=', 'pending').executeTakeFirst();
    if (!Number(claimed.numUpdatedRows)) throw conflict('state_used', 'This sign-in answer was already used. Start the sign-in again from Hangar.');
    const verifier = this.box.open(row.secret_enc!, flowContext(row.id));
    try {
      const token = await postTokenGrant(cfg.tokenUrl, {
        grant_type: 'authorization_code', code, redirect_uri: row.redirect_uri ?? '', client_id: cfg.clientId, code_verifier: verifier,
      });
      const meta = await this.creds.setOAuth(userId, providerId, {
        type: 'oauth', access: token.access_token, refresh: token.refresh_token ?? '',
        expires: token.expires_in ? this.now() + token.expires_in * 1000 : 0,
      });
      this.log.info('browser sign-in complete; credential stored', { providerId, flowId: row.id });
      return meta;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.db.updateTable('oauth_flows').set({ status: 'error', error: message, updated_at: new Date(this.now()).toISOString() }).where('id', '=', row.id).execute();
      this.log.warn('browser sign-in: the code exchange failed', { providerId, flowId: row.id, error: message });
      if (err instanceof TokenEndpointError) {
        throw new HttpError(502, 'token_exchange_failed', `${providerId}: ${message}. Start the sign-in again.`);
      }
      throw err;
    }
  }
}

/** Sign-in flows older than `maxAgeMs` (finished or abandoned) are of no use: drop them. */
export async function pruneOAuthFlows(db: Db, now: number, maxAgeMs = 24 * 3600_000): Promise<void> {
  await db.deleteFrom('oauth_flows').where('created_at', '<', new Date(now - maxAgeMs).toISOString()).execute();
}
