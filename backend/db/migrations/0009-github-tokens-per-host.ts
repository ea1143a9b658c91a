import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0009GithubTokensPerHost: Migration = {
  async up(db: Kysely<unknown>) {
    // Issue #16: a user keeps one GitHub token per host (github.com, a GitHub Enterprise host, a
    // private git host) instead of one in all; the row that existed stays, keyed by its host.
    await db.schema.createTable('github_credentials_0009')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('token_enc', 'text', (c) => c.notNull())
      .addColumn('hint', 'text', (c) => c.notNull())
      .addColumn('login', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('github_credentials_user_host', ['user_id', 'host'])
      .execute();
    await sql`insert into github_credentials_0009 (user_id, host, token_enc, hint, login, created_at, updated_at)
      select user_id, host, token_enc, hint, login, created_at, updated_at from github_credentials`.execute(db);
    await db.schema.dropTable('github_credentials').execute();
    await db.schema.alterTable('github_credentials_0009').renameTo('github_credentials').execute();
  },
};
