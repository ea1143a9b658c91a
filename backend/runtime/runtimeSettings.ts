import type { Db } from '../db/database';
import type { SecretBox } from './secretBox';

/**
 * Server-wide runtime secrets kept in the database (table runtime_settings), each sealed by
 * SecretBox bound to its own context, so a value copied to another key does not decrypt.
 * Read once at start-up (the driver is built synchronously from what was read).
 */
export const RUNTIME_SETTINGS = {
  coolifyToken: { key: 'coolify.token', context: 'runtime:coolify:token' },
  /** Not a secret, sealed like every row: the local warm pool's size set through the API (wins over HANGAR_WARM_POOL_LOCAL). */
  localWarmPool: { key: 'local.warm-pool-size', context: 'runtime:local:warm-pool-size' },
} as const;

export type RuntimeSettingName = keyof typeof RUNTIME_SETTINGS;

/** Sealed values by key, as stored. */
export type SealedSettings = Readonly<Record<string, string>>;

export async function loadSealedSettings(db: Db): Promise<SealedSettings> {
  const rows = await db.selectFrom('runtime_settings').select(['key', 'value_encrypted']).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value_encrypted]));
}

export async function setRuntimeSecret(db: Db, box: SecretBox, name: RuntimeSettingName, value: string): Promise<void> {
  const { key, context } = RUNTIME_SETTINGS[name];
  const row = { key, value_encrypted: box.seal(value, context), updated_at: new Date().toISOString() };
  await db.insertInto('runtime_settings').values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_encrypted: row.value_encrypted, updated_at: row.updated_at }))
    .execute();
}

/** True when something was removed. */
export async function clearRuntimeSecret(db: Db, name: RuntimeSettingName): Promise<boolean> {
  const res = await db.deleteFrom('runtime_settings').where('key', '=', RUNTIME_SETTINGS[name].key).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The decrypted value, or undefined when not set; a value that does not decrypt throws SecretBoxError. */
export function openRuntimeSecret(box: SecretBox, settings: SealedSettings | undefined, name: RuntimeSettingName): string | undefined {
  const { key, context } = RUNTIME_SETTINGS[name];
  const sealed = settings?.[key];
  return sealed === undefined ? undefined : box.open(sealed, context);
}
