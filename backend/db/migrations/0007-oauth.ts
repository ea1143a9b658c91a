import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0007Oauth: Migration = {
  async up(db: Kysely<unknown>) {
    // Provider sign-ins in progress (backend/oauth): GitHub's device flow and authorisation-code +
    // PKCE redirects. The device code and the PKCE verifier are sealed (SecretBox, bound to
    // oauth_flow:<id>); a redirect's state is kept only as its SHA-256, and is single-use.
    await db.schema.createTable('oauth_flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('provider_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('device', 'redirect')`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'complete', 'expired', 'denied', 'cancelled', 'error')`))
      .addColumn('user_code', 'text')
      .addColumn('verification_uri', 'text')
      .addColumn('interval_s', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('slow_downs', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state_hash', 'text', (c) => c.unique())
      .addColumn('redirect_uri', 'text')
      .addColumn('secret_enc', 'text')
      .addColumn('error', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_flows_user').on('oauth_flows').columns(['user_id', 'created_at']).execute();
    // A refresh that failed leaves the credential in place but marks it: the user must sign in again.
    await db.schema.alterTable('provider_credentials').addColumn('status', 'text', (c) => c.notNull().defaultTo('ok')).execute();
    await db.schema.alterTable('provider_credentials').addColumn('status_reason', 'text').execute();
  },
};
