import { z } from 'zod';
import { displayName, IsoTime, listOf } from './common';
import { ProviderId } from './projects';

/** A model id as models.dev spells it: may contain `/`, `:`, `@` and dots. */
export const ModelId = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9._:/@+-]+$/, 'a model id like "gpt-4.1" or "meta/llama-3:8b"');

/** api: a pasted key; oauth-device: GitHub's device flow; oauth-redirect: authorisation code + PKCE in the browser. */
export const AuthMethod = z.enum(['api', 'oauth-device', 'oauth-redirect']);
export type AuthMethod = z.infer<typeof AuthMethod>;

/** Where the catalog being served came from: models.dev now, the database copy, or the bundled snapshot. */
export const CatalogInfo = z.object({
  source: z.enum(['live', 'cache', 'snapshot']),
  fetchedAt: IsoTime.nullable(),
  /** True when a refresh was due but the live catalog could not be reached. */
  stale: z.boolean(),
});
export type CatalogInfo = z.infer<typeof CatalogInfo>;

export const ProviderSummary = z.object({
  id: z.string(),
  name: z.string(),
  env: z.array(z.string()),
  doc: z.string().nullable(),
  modelCount: z.number().int(),
  configured: z.boolean(),
  custom: z.boolean(),
  authMethods: z.array(AuthMethod),
  isDefault: z.boolean(),
  /** What the user should know before signing in (like Anthropic's subscription policy); null when nothing. */
  signInNote: z.string().nullable(),
});
export type ProviderSummary = z.infer<typeof ProviderSummary>;

export const ProviderList = z.object({ items: z.array(ProviderSummary), catalog: CatalogInfo });
export type ProviderList = z.infer<typeof ProviderList>;

export const ProvidersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  configured: z.enum(['true', 'false']).optional(),
});

export const ModelSummary = z.object({
  id: z.string(),
  name: z.string(),
  family: z.string().nullable(),
  limit: z.object({ context: z.number().nullable(), output: z.number().nullable() }),
  capabilities: z.object({
    toolCall: z.boolean(),
    reasoning: z.boolean(),
    attachment: z.boolean(),
    modalities: z.object({ input: z.array(z.string()), output: z.array(z.string()) }),
  }),
  /** USD per million tokens; null when models.dev does not say. */
  cost: z.object({
    input: z.number().nullable(),
    output: z.number().nullable(),
    cacheRead: z.number().nullable(),
    cacheWrite: z.number().nullable(),
  }).nullable(),
  isDefault: z.boolean(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const ModelList = listOf(ModelSummary);
export type ModelList = z.infer<typeof ModelList>;

/** An API key as pasted: no whitespace inside, bounded. Never returned by any route. */
export const ApiKey = z.string().trim().min(1, 'a key is required').max(4096)
  .regex(/^\S+$/, 'an API key has no spaces or line breaks');

export const CredentialCreate = z.strictObject({ type: z.literal('api'), key: ApiKey });
export type CredentialCreate = z.infer<typeof CredentialCreate>;

/** What the API tells about a stored credential: never the secret, only a masked hint. */
export const CredentialMeta = z.object({
  providerId: z.string(),
  type: z.enum(['api', 'oauth']),
  hint: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  lastUsedAt: IsoTime.nullable(),
  expiresAt: IsoTime.nullable(),
  /** needs_sign_in: an OAuth credential whose refresh failed; statusReason says why. */
  status: z.enum(['ok', 'needs_sign_in']),
  statusReason: z.string().nullable(),
});
export type CredentialMeta = z.infer<typeof CredentialMeta>;
export const CredentialList = listOf(CredentialMeta);

/** http(s) only, no credentials in the URL. */
export const BaseUrl = z.string().trim().max(500).refine((s) => {
  let u: URL;
  try { u = new URL(s); } catch { return false; }
  return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && u.hostname.length > 0;
}, 'an http:// or https:// base URL without credentials, like http://127.0.0.1:11434/v1');

export const CustomModel = z.strictObject({
  id: ModelId,
  name: displayName(200).optional(),
  context: z.number().int().positive().max(100_000_000),
  output: z.number().int().positive().max(100_000_000),
});

export const CustomProviderCreate = z.strictObject({
  id: ProviderId,
  name: displayName(100),
  baseURL: BaseUrl,
  apiKey: ApiKey.optional(),
  models: z.array(CustomModel).min(1).max(500),
});
export type CustomProviderCreate = z.input<typeof CustomProviderCreate>;

export const CustomProvider = z.object({
  id: z.string(),
  name: z.string(),
  baseURL: z.string(),
  models: z.array(z.object({ id: z.string(), name: z.string(), context: z.number(), output: z.number() })),
  hasKey: z.boolean(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type CustomProvider = z.infer<typeof CustomProvider>;

export const ModelChoice = z.strictObject({ providerId: ProviderId, modelId: ModelId });
export type ModelChoice = z.infer<typeof ModelChoice>;

export const DefaultModel = z.object({ providerId: z.string().nullable(), modelId: z.string().nullable() });
export type DefaultModel = z.infer<typeof DefaultModel>;

/** A project's choice: both null = the user's default. */
export const ProjectModelUpdate = z.strictObject({ providerId: ProviderId.nullable(), modelId: ModelId.nullable() });
export type ProjectModelUpdate = z.infer<typeof ProjectModelUpdate>;

/** What a project runs with, and why. */
export const EffectiveModel = z.object({
  providerId: z.string().nullable(),
  modelId: z.string().nullable(),
  source: z.enum(['project', 'user-default', 'none']),
  configured: z.boolean(),
});
export type EffectiveModel = z.infer<typeof EffectiveModel>;

/** POST /api/providers/:id/test: one cheap real call (the models list) with the stored credential. */
export const ConnectionTestResult = z.object({
  verdict: z.enum(['ok', 'bad_key', 'no_access', 'unreachable']),
  latencyMs: z.number().int().nonnegative(),
  /** What happened and what to do next; never contains the secret. */
  message: z.string(),
  /** The provider's HTTP status, or null when nothing answered. */
  httpStatus: z.number().int().nullable(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;
