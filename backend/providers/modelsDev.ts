import { z } from 'zod';

/**
 * The models.dev catalog (https://models.dev/api.json), parsed leniently: unknown keys are kept,
 * cost and limits are optional, and one malformed provider or model is skipped, not fatal.
 */
const num = z.number().finite().nonnegative();

export const ModelsDevModel = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  family: z.string().optional(),
  attachment: z.boolean().optional(),
  reasoning: z.boolean().optional(),
  tool_call: z.boolean().optional(),
  modalities: z.looseObject({ input: z.array(z.string()).optional(), output: z.array(z.string()).optional() }).optional(),
  cost: z.looseObject({ input: num.optional(), output: num.optional(), cache_read: num.optional(), cache_write: num.optional() }).optional(),
  limit: z.looseObject({ context: num.optional(), input: num.optional(), output: num.optional() }).optional(),
  status: z.string().optional(),
});
export type ModelsDevModel = z.infer<typeof ModelsDevModel> & { id: string; name: string };

const ModelsDevProviderHead = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  env: z.array(z.string()).optional(),
  npm: z.string().optional(),
  api: z.string().optional(),
  doc: z.string().optional(),
  models: z.record(z.string(), z.unknown()).optional(),
});

export interface ModelsDevProvider {
  id: string;
  name: string;
  env: string[];
  npm: string | undefined;
  api: string | undefined;
  doc: string | undefined;
  models: Map<string, ModelsDevModel>;
}

export interface ParsedCatalog {
  providers: Map<string, ModelsDevProvider>;
  /** Entries that were skipped, as "provider" or "provider/model": for the log, never fatal. */
  skipped: string[];
}

export class CatalogParseError extends Error {
  override name = 'CatalogParseError';
}

/** Parses api.json text; throws only when it is not a JSON object of providers at all. */
export function parseCatalog(text: string): ParsedCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CatalogParseError(`the catalog is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new CatalogParseError('the catalog is not a JSON object of providers');
  const providers = new Map<string, ModelsDevProvider>();
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const head = ModelsDevProviderHead.safeParse(value);
    if (!head.success) { skipped.push(key); continue; }
    const id = head.data.id ?? key;
    const models = new Map<string, ModelsDevModel>();
    for (const [modelKey, modelValue] of Object.entries(head.data.models ?? {})) {
      const m = ModelsDevModel.safeParse(modelValue);
      if (!m.success) { skipped.push(`${key}/${modelKey}`); continue; }
      const modelId = m.data.id ?? modelKey;
      models.set(modelId, { ...m.data, id: modelId, name: m.data.name ?? modelId });
    }
    providers.set(id, {
      id, name: head.data.name ?? id, env: head.data.env ?? [], npm: head.data.npm, api: head.data.api, doc: head.data.doc, models,
    });
  }
  if (providers.size === 0) throw new CatalogParseError('the catalog lists no providers');
  return { providers, skipped };
}
