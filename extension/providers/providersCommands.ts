import type { CommandHandlers } from '../core/commandRegistry';
import type { ProviderCommands } from './providerCommands';
import type { ProvidersFeature } from './providersFeature';
import type { PROVIDERS_COMMANDS } from './providersManifest';

/** Sign-in and credentials (the feature's flows), connection tests, custom providers and per-project models. */
export function providersCommands(
  providers: ProvidersFeature, commands: ProviderCommands,
): Pick<CommandHandlers, (typeof PROVIDERS_COMMANDS)[number]> {
  return {
    'hangar.configureProvider': (args) => providers.configure(args),
    'hangar.setDefaultProvider': (args) => providers.setDefault(args),
    'hangar.removeProviderCredential': (args) => providers.remove(args),
    'hangar.testProviderConnection': (args) => commands.test(args),
    'hangar.addCustomProvider': (args) => commands.addCustom(args),
    'hangar.setProjectModel': (args) => commands.setProjectModel(args),
  };
}
