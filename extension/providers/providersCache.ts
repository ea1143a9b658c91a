import { z } from 'zod';
import { CredentialMeta, DefaultModel, ProviderSummary } from '../../backend/contract';
import type { ProvidersData } from './providersModel';

/**
 * The Providers view's copy in the offline store: the configured providers, the credentials' metadata
 * and the default model. No secret ever reaches it (the API sends none), and not even the key's masked
 * hint: the copy on disk says which providers are configured, not with what.
 */
const CachedProviders = z.object({
  providers: z.array(ProviderSummary),
  credentials: z.array(CredentialMeta),
  defaultModel: DefaultModel,
});

export function providersForCache(data: ProvidersData): unknown {
  return {
    providers: data.providers,
    credentials: data.credentials.map((c) => ({ ...c, hint: '' })),
    defaultModel: data.defaultModel,
  };
}

/** The cached copy, or undefined when there is none or it no longer fits the contract. */
export function providersFromCache(items: readonly unknown[]): ProvidersData | undefined {
  const r = CachedProviders.safeParse(items[0]);
  return r.success ? r.data : undefined;
}
