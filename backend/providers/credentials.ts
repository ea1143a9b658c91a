import type { Selectable } from 'kysely';
import { CustomProviderCreate, type CredentialMeta, type CustomProvider } from '../contract';
import type { Db } from '../db/database';
import type { CustomProvidersTable, ProviderCredentialsTable } from '../db/schema';
import { notFound } from '../errors';
import type { DomainBus } from '../events/domainBus';
import type { EventHub } from '../events/eventHub';
import type { SecretBox } from '../runtime/secretBox';

/** opencode's auth.json entry for one provider (docs/opencode.md). */
export type OpencodeAuth =
  | { type: 'api'; key: string }
  | { type: 'oauth'; refresh: string; access: string; expires: number; enterpriseUrl?: string };

/** Bound as additional data: a sealed key copied to another user's or provider's row does not open. */
export const credentialContext = (userId: string, providerId: string) => `user:${userId}:provider:${providerId}`;

/** "sk-…f3a9": a recognisable prefix and the last four, and nothing at all of a short key. */
export function maskKey(key: string): string {
  const prefix = /^[A-Za-z]{1,5}[-_]/.exec(key)?.[0] ?? '';
  return key.length >= 16 ? `${prefix}…${key.slice(-4)}` : `${prefix}…`;
}

/**
 * Provider credentials and custom providers, per user. Secrets are sealed at rest and leave this
 * class only through `authFor` (for injection into the user's own agents): never in a route,
 * a log line or an event.
 */
export class CredentialService {
  /** `bus`: told `credential.changed` after a credential changes, to update running agents (liveUpdate.ts); awaited. */
  constructor(
    private readonly db: Db, private readonly box: SecretBox, private readonly hub: EventHub, private readonly bus: DomainBus,
  ) {}

  private changed(userId: string, providerId: string): Promise<void> {
    return this.bus.emit('credential.changed', { userId, providerId });
  }

  async setApiKey(userId: string, providerId: string, key: string): Promise<CredentialMeta> {
    await this.store(userId, providerId, { type: 'api', key }, maskKey(key), null);
    this.hub.publish(userId, 'provider.changed', { providerId, configured: true });
    await this.changed(userId, providerId);
    return this.meta(userId, providerId);
  }

  /** An OAuth credential (device flow, redirect sign-in, refresh): stored, announced, pushed to running agents. */
  async setOAuth(userId: string, providerId: string, auth: Extract<OpencodeAuth, { type: 'oauth' }>): Promise<CredentialMeta> {
    const expiresAt = auth.expires > 0 ? new Date(auth.expires).toISOString() : null;
    await this.store(userId, providerId, auth, maskKey(auth.access), expiresAt);
    this.hub.publish(userId, 'provider.changed', { providerId, configured: true });
    await this.changed(userId, providerId);
    return this.meta(userId, providerId);
  }

  /** After a failed refresh: the credential stays (so the user sees what needs attention) but is flagged. */
  async markNeedsSignIn(userId: string, providerId: string, reason: string): Promise<void> {
    await this.db.updateTable('provider_credentials').set({ status: 'needs_sign_in', status_reason: reason, updated_at: new Date().toISOString() })
      .where('user_id', '=', userId).where('provider_id', '=', providerId).execute();
    this.hub.publish(userId, 'provider.changed', { providerId, configured: true });
  }

  /** OAuth credentials (of every user) that expire before `before` and are not already flagged. */
  async expiringOAuth(before: Date): Promise<Array<{ userId: string; providerId: string; expiresAt: string }>> {
    const rows = await this.db.selectFrom('provider_credentials').select(['user_id', 'provider_id', 'expires_at'])
      .where('type', '=', 'oauth').where('status', '=', 'ok').where('expires_at', 'is not', null).where('expires_at', '<', before.toISOString())
      .execute();
    return rows.map((r) => ({ userId: r.user_id, providerId: r.provider_id, expiresAt: r.expires_at! }));
  }

  /** The decrypted credential without touching last_used_at (refresh, connection test). */
  async peek(userId: string, providerId: string): Promise<OpencodeAuth | undefined> {
    const row = await this.db.selectFrom('provider_credentials').select(['secret_enc'])
      .where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
    return row ? JSON.parse(this.box.open(row.secret_enc, credentialContext(userId, providerId))) as OpencodeAuth : undefined;
  }

  async list(userId: string): Promise<CredentialMeta[]> {
    const rows = await this.db.selectFrom('provider_credentials').selectAll().where('user_id', '=', userId).orderBy('provider_id').execute();
    return rows.map(toMeta);
  }

  async meta(userId: string, providerId: string): Promise<CredentialMeta> {
    const row = await this.db.selectFrom('provider_credentials').selectAll()
      .where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!row) throw notFound(`A credential for "${providerId}"`);
    return toMeta(row);
  }

  async remove(userId: string, providerId: string): Promise<void> {
    const res = await this.db.deleteFrom('provider_credentials').where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!res.numDeletedRows) throw notFound(`A credential for "${providerId}"`);
    this.hub.publish(userId, 'provider.changed', { providerId, configured: await this.isCustom(userId, providerId) });
    await this.changed(userId, providerId);
  }

  /** The decrypted credential, for the user's own agents only; marks it used. */
  async authFor(userId: string, providerId: string): Promise<OpencodeAuth | undefined> {
    const row = await this.db.selectFrom('provider_credentials').select(['secret_enc'])
      .where('user_id', '=', userId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!row) return undefined;
    const auth = JSON.parse(this.box.open(row.secret_enc, credentialContext(userId, providerId))) as OpencodeAuth;
    await this.db.updateTable('provider_credentials').set({ last_used_at: new Date().toISOString() })
      .where('user_id', '=', userId).where('provider_id', '=', providerId).execute();
    return auth;
  }

  /** Provider ids the user can run: a stored credential or a custom provider (a local model may need no key). */
  async configuredIds(userId: string): Promise<Set<string>> {
    const [creds, customs] = await Promise.all([
      this.db.selectFrom('provider_credentials').select('provider_id').where('user_id', '=', userId).execute(),
      this.db.selectFrom('custom_providers').select('id').where('user_id', '=', userId).execute(),
    ]);
    return new Set([...creds.map((c) => c.provider_id), ...customs.map((c) => c.id)]);
  }

  async saveCustom(userId: string, input: CustomProviderCreate): Promise<CustomProvider> {
    const body = CustomProviderCreate.parse(input);
    const now = new Date().toISOString();
    const models = JSON.stringify(body.models.map((m) => ({ id: m.id, name: m.name ?? m.id, context: m.context, output: m.output })));
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('custom_providers')
        .values({ user_id: userId, id: body.id, name: body.name, base_url: body.baseURL, models, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'id']).doUpdateSet({ name: body.name, base_url: body.baseURL, models, updated_at: now }))
        .execute();
    });
    if (body.apiKey) await this.store(userId, body.id, { type: 'api', key: body.apiKey }, maskKey(body.apiKey), null);
    this.hub.publish(userId, 'provider.changed', { providerId: body.id, configured: true });
    if (body.apiKey) await this.changed(userId, body.id);
    return (await this.custom(userId, body.id))!;
  }

  async listCustom(userId: string): Promise<CustomProvider[]> {
    const [rows, keyed] = await Promise.all([
      this.db.selectFrom('custom_providers').selectAll().where('user_id', '=', userId).orderBy('id').execute(),
      this.db.selectFrom('provider_credentials').select('provider_id').where('user_id', '=', userId).execute(),
    ]);
    const hasKey = new Set(keyed.map((k) => k.provider_id));
    return rows.map((r) => toCustom(r, hasKey.has(r.id)));
  }

  async custom(userId: string, id: string): Promise<CustomProvider | undefined> {
    return (await this.listCustom(userId)).find((c) => c.id === id);
  }

  async removeCustom(userId: string, id: string): Promise<void> {
    const res = await this.db.deleteFrom('custom_providers').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    if (!res.numDeletedRows) throw notFound(`Custom provider "${id}"`);
    await this.db.deleteFrom('provider_credentials').where('user_id', '=', userId).where('provider_id', '=', id).execute();
    this.hub.publish(userId, 'provider.changed', { providerId: id, configured: false });
    await this.changed(userId, id);
  }

  private async isCustom(userId: string, id: string): Promise<boolean> {
    return !!(await this.db.selectFrom('custom_providers').select('id').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst());
  }

  private async store(userId: string, providerId: string, auth: OpencodeAuth, hint: string, expiresAt: string | null): Promise<void> {
    const now = new Date().toISOString();
    const secret_enc = this.box.seal(JSON.stringify(auth), credentialContext(userId, providerId));
    await this.db.insertInto('provider_credentials')
      .values({ user_id: userId, provider_id: providerId, type: auth.type, secret_enc, hint, created_at: now, updated_at: now, last_used_at: null, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['user_id', 'provider_id']).doUpdateSet({ type: auth.type, secret_enc, hint, updated_at: now, expires_at: expiresAt, status: 'ok', status_reason: null }))
      .execute();
  }
}

function toMeta(r: Selectable<ProviderCredentialsTable>): CredentialMeta {
  return {
    providerId: r.provider_id, type: r.type, hint: r.hint, createdAt: r.created_at, updatedAt: r.updated_at,
    lastUsedAt: r.last_used_at, expiresAt: r.expires_at, status: r.status, statusReason: r.status_reason,
  };
}

function toCustom(r: Selectable<CustomProvidersTable>, hasKey: boolean): CustomProvider {
  return {
    id: r.id, name: r.name, baseURL: r.base_url, models: JSON.parse(r.models) as CustomProvider['models'], hasKey,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
