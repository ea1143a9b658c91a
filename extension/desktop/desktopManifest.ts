import type { FeatureManifest } from '../core/feature';
import type { DesktopFeature } from './desktopFeature';

export const DESKTOP_COMMANDS = ['hangar.openDesktop'] as const;

/** Loads when a desktop-tier project's screen is first opened. */
export const desktopManifest: FeatureManifest<DesktopFeature> = {
  id: 'desktop',
  commands: DESKTOP_COMMANDS,
  load: async () => (await import('./desktopFeature')).createDesktopFeature,
};
