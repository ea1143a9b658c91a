import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import { desktopCommands } from './desktopCommands';
import type { DESKTOP_COMMANDS } from './desktopManifest';
import { DesktopPanels } from './desktopPanel';

/** The Desktop panel: a desktop-tier project's screen over VNC. */
export interface DesktopFeature extends Feature<(typeof DESKTOP_COMMANDS)[number]> {
  readonly id: 'desktop';
  readonly panels: DesktopPanels;
}

export function createDesktopFeature({ session, log, context }: FeatureCore): DesktopFeature {
  const panels = new DesktopPanels({ session, extensionUri: context.extensionUri, log });
  return { id: 'desktop', panels, commands: desktopCommands(session, panels), disposables: [panels] };
}
