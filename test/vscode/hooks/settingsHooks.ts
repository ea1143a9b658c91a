// hangar.internal.settings: the settings panel as its host sees it; with `inject`, a webview request run
// through the panel's own handlers, settled as the webview's request would be.
import { dispatch } from '../../../webviews/protocol/common';
import { SettingsWebviewToHost, type SettingsPanelState } from '../../../webviews/protocol/settings';
import type { SettingsFeature } from '../../../extension/settings/settingsFeature';

export interface SettingsPanelProbe { visible: boolean; ready: boolean; lastState: SettingsPanelState | undefined }

export interface SettingsInternalArgs { inject?: unknown }

type Answer = SettingsPanelProbe | { ok: boolean; error?: string } | undefined;

export async function settingsCommand({ panel }: SettingsFeature, args?: SettingsInternalArgs): Promise<Answer> {
  if (args?.inject) {
    const parsed = SettingsWebviewToHost.safeParse(args.inject);
    if (!parsed.success || parsed.data.type === 'ready') return { ok: false, error: 'not a settings request' };
    try {
      await dispatch(panel.handlers, parsed.data);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
  const host = panel.host;
  if (!host) return undefined;
  const last = host.channel.lastState;
  return {
    visible: host.panel.visible,
    ready: host.channel.ready,
    lastState: last?.type === 'state' ? last.state : undefined,
  };
}
