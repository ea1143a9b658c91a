import type { FeatureManifest } from '../core/feature';
import type { SettingsFeature } from './settingsFeature';

export const SETTINGS_COMMANDS = [
  'hangar.openSettings', 'hangar.exportSettings', 'hangar.importSettings',
] as const;

/** Loads when "Hangar: Open Settings", Export or Import is first used. */
export const settingsManifest: FeatureManifest<SettingsFeature> = {
  id: 'settings',
  commands: SETTINGS_COMMANDS,
  load: async () => (await import('./settingsFeature')).createSettingsFeature,
};
