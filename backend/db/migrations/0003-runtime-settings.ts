import { type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const m0003RuntimeSettings: Migration = {
  async up(db: Kysely<unknown>) {
    // Runtime secrets set with the CLI (`hangar-api coolify set-token`), sealed by SecretBox with
    // a context naming the key (runtime:coolify:token), never in the clear.
    await db.schema.createTable('runtime_settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value_encrypted', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
