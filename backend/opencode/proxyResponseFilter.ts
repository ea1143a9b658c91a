import type { Readable } from 'node:stream';
import { HttpError } from '../errors';

/**
 * Field names that hold credentials in opencode's provider answers (`key`, `options.apiKey`,
 * `options.headers`, OAuth `access`/`refresh`…): dropped wherever they appear, with their values.
 */
const CREDENTIAL_KEY = /^(key|apikey|api[-_]key|.*token|.*secret|password|passwd|authorization|headers|access|refresh|credentials?|auth)$/i;

/** The largest answer the filter reads before giving up (the provider catalog is well below). */
const MAX_FILTERED_BYTES = 32 * 1024 * 1024;
/** Deeper than any provider answer; what lies below is dropped rather than walked. */
const MAX_DEPTH = 64;

/** A copy of `value` without any credential-named field. */
export function withoutCredentials(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => withoutCredentials(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (CREDENTIAL_KEY.test(k)) continue;
    out[k] = withoutCredentials(v, depth + 1);
  }
  return out;
}

/** Reads the agent's JSON answer whole and returns it without credentials. */
export async function filteredJson(body: Readable): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > MAX_FILTERED_BYTES) {
      body.destroy();
      throw new HttpError(502, 'agent_failed', 'The agent\'s answer was too large to check for credentials, so it was not passed on.', undefined, true);
    }
    chunks.push(b);
  }
  try {
    return withoutCredentials(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
  } catch {
    throw new HttpError(502, 'agent_failed', 'The agent\'s answer was not JSON, so it could not be checked for credentials and was not passed on.', undefined, true);
  }
}

/** Reads the agent's JSON answer whole and returns what `schema` accepts of it (502 when it does not fit). */
export async function checkedJson(body: Readable, schema: import('zod').ZodType): Promise<unknown> {
  const parsed = schema.safeParse(await filteredJson(body));
  if (!parsed.success) {
    throw new HttpError(502, 'agent_failed', `The agent's answer did not have the expected shape (${parsed.error.issues[0]?.message ?? 'invalid'}), so it was not passed on.`, undefined, true);
  }
  return parsed.data;
}
