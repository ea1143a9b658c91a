import type { Feature } from '../core/feature';
import type { FeatureCore } from '../core/featureCore';
import { vscodeClientSettings } from './clientSettings';
import { settingsCommands } from './settingsCommands';
import type { SETTINGS_COMMANDS } from './settingsManifest';
import { SettingsPanel } from './settingsPanel';

/** Hangar settings: the settings webview, export and import (issue #15). */
export interface SettingsFeature extends Feature<(typeof SETTINGS_COMMANDS)[number]> {
  readonly id: 'settings';
  readonly panel: SettingsPanel;
}

export function createSettingsFeature({ session, log, context }: FeatureCore): SettingsFeature {
  const panel = new SettingsPanel({ session, extensionUri: context.extensionUri, log });
  const client = vscodeClientSettings(context.extension.packageJSON);
  return { id: 'settings', panel, commands: settingsCommands(session, panel, client, log), disposables: [panel] };
}
