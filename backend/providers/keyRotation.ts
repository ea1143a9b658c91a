import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { flowContext } from '../oauth/deviceFlow';
import { RUNTIME_SETTINGS } from '../runtime/runtimeSettings';
import { SecretBox, SecretBoxError } from '../runtime/secretBox';
import { credentialContext } from './credentials';

type Row = Record<string, string | null>;

/**
 * Every column that holds a SecretBox-sealed value, with the context it was sealed with. A new
 * sealed column must be listed here, or rotation stops at it (an unknown value never goes unrotated
 * silently: see `rotateEncryptionKey`).
 */
export const SEALED_COLUMNS: ReadonlyArray<{ table: string; column: string; keys: string[]; context: (r: Row) => string | undefined }> = [
  { table: 'projects', column: 'opencode_password_enc', keys: ['id'], context: (r) => `project:${r.id}:opencode_password` },
  { table: 'projects', column: 'webhook_secret_enc', keys: ['id'], context: (r) => `project:${r.id}:webhook_secret` },
  {
    table: 'runtime_settings', column: 'value_encrypted', keys: ['key'],
    context: (r) => Object.values(RUNTIME_SETTINGS).find((s) => s.key === r.key)?.context,
  },
  { table: 'provider_credentials', column: 'secret_enc', keys: ['user_id', 'provider_id'], context: (r) => credentialContext(r.user_id!, r.provider_id!) },
  { table: 'oauth_flows', column: 'secret_enc', keys: ['id'], context: (r) => flowContext(r.id!) },
  { table: 'github_credentials', column: 'token_enc', keys: ['user_id', 'host'], context: (r) => `user:${r.user_id}:github` },
  { table: 'notification_webhooks', column: 'secret_enc', keys: ['user_id'], context: (r) => `user:${r.user_id}:notify_webhook_secret` },
];

export interface RotationReport {
  /** Values re-encrypted per table.column. */
  rotated: Record<string, number>;
  /** Values already sealed with the new key (an interrupted or repeated rotation). */
  alreadyCurrent: number;
  /** Local-runtime deploy specs re-encrypted. */
  files: number;
}

export class KeyRotationError extends Error {
  override name = 'KeyRotationError';
}

/**
 * Re-encrypts every sealed value from `oldKey` to `newKey` in one transaction: either all of them
 * move or none does. Values already readable with the new key are left as they are, so a repeated
 * run is harmless. A value neither key opens stops the rotation with its table and column named.
 * `projectsDir`: the local runtime's <dataDir>/projects, whose spec.sealed files are sealed too.
 */
export async function rotateEncryptionKey(db: Db, oldKey: Buffer, newKey: Buffer, projectsDir?: string): Promise<RotationReport> {
  const oldBox = new SecretBox(oldKey);
  const newBox = new SecretBox(newKey);
  const report: RotationReport = { rotated: {}, alreadyCurrent: 0, files: 0 };
  const reseal = (sealed: string, context: string, where: string): string | undefined => {
    try {
      newBox.open(sealed, context);
      report.alreadyCurrent++;
      return undefined;
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
    }
    try {
      return newBox.seal(oldBox.open(sealed, context), context);
    } catch {
      throw new KeyRotationError(`${where} opens with neither the old nor the new key; nothing was changed.`);
    }
  };
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
  await db.transaction().execute(async (trx) => {
    for (const col of SEALED_COLUMNS) {
      if (!tables.has(col.table)) continue;
      const rows = (await sql<Row>`select ${sql.join(col.keys.map((k) => sql.ref(k)))}, ${sql.ref(col.column)} as sealed from ${sql.table(col.table)} where ${sql.ref(col.column)} is not null`.execute(trx)).rows;
      let n = 0;
      for (const r of rows) {
        const where = `${col.table}.${col.column} (${col.keys.map((k) => `${k}=${r[k]}`).join(', ')})`;
        const context = col.context(r);
        if (!context) throw new KeyRotationError(`${where}: Hangar does not know how this value was sealed; nothing was changed.`);
        const next = reseal(r.sealed!, context, where);
        if (next === undefined) continue;
        const match = sql.join(col.keys.map((k) => sql`${sql.ref(k)} = ${r[k]}`), sql` and `);
        await sql`update ${sql.table(col.table)} set ${sql.ref(col.column)} = ${next} where ${match}`.execute(trx);
        n++;
      }
      if (n) report.rotated[`${col.table}.${col.column}`] = n;
    }
    // Files last, written only after every database value re-encrypted; a failure above changes no file.
    if (projectsDir && fs.existsSync(projectsDir)) {
      const writes: Array<[string, string]> = [];
      for (const id of fs.readdirSync(projectsDir)) {
        const file = path.join(projectsDir, id, 'spec.sealed');
        if (!fs.existsSync(file)) continue;
        const next = reseal(fs.readFileSync(file, 'utf8').trim(), `local-spec:${id}`, file);
        if (next !== undefined) writes.push([file, next]);
      }
      for (const [file, next] of writes) {
        fs.writeFileSync(`${file}.tmp`, next, { mode: 0o600 });
        fs.renameSync(`${file}.tmp`, file);
        report.files++;
      }
    }
  });
  return report;
}

/**
 * `hangar-api secrets rotate-key`. Key file: a new random key is written next to it (`.new`, 0600),
 * every value re-encrypted, then the new file replaces the old one, so the old key is gone.
 * Environment key: HANGAR_ENCRYPTION_KEY_PREVIOUS (old) + HANGAR_ENCRYPTION_KEY (new) must be set.
 */
export async function rotateConfiguredKey(
  db: Db,
  source: { source: 'env'; key: string } | { source: 'file'; file: string },
  previousKey: string | undefined,
  projectsDir: string,
  randomKey: () => Buffer,
): Promise<RotationReport & { keyFile?: string }> {
  if (source.source === 'env') {
    if (!previousKey) {
      throw new KeyRotationError('the key comes from HANGAR_ENCRYPTION_KEY: set HANGAR_ENCRYPTION_KEY_PREVIOUS to the current key and HANGAR_ENCRYPTION_KEY to a new one (openssl rand -base64 32), then run this again (the server also rotates at start when both are set).');
    }
    return rotateEncryptionKey(db, Buffer.from(previousKey, 'base64'), Buffer.from(source.key, 'base64'), projectsDir);
  }
  const oldKey = Buffer.from(fs.readFileSync(source.file, 'utf8').trim(), 'base64');
  const newKey = randomKey();
  const pending = `${source.file}.new`;
  fs.writeFileSync(pending, newKey.toString('base64') + '\n', { mode: 0o600 });
  try {
    const report = await rotateEncryptionKey(db, oldKey, newKey, projectsDir);
    fs.renameSync(pending, source.file);
    return { ...report, keyFile: source.file };
  } catch (err) {
    fs.rmSync(pending, { force: true });
    throw err;
  }
}
