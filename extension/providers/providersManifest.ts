import { VIEW_IDS } from '../core/commandIds';
import type { FeatureManifest } from '../core/feature';
import type { ProvidersFeature } from './providersFeature';

export const PROVIDERS_COMMANDS = [
  'hangar.configureProvider', 'hangar.setDefaultProvider', 'hangar.removeProviderCredential',
  'hangar.testProviderConnection', 'hangar.addCustomProvider', 'hangar.setProjectModel',
] as const;

/** Loads once a server answers (it warns about credentials that need a new sign-in), or on first use. */
export const providersManifest: FeatureManifest<ProvidersFeature> = {
  id: 'providers',
  commands: PROVIDERS_COMMANDS,
  views: [VIEW_IDS.providers],
  uriPaths: ['/oauth/callback'],
  loadOn: 'connected',
  load: async () => (await import('./providersFeature')).createProvidersFeature,
};
