// The test-only hooks (dist/testHooks.js): the `hangar.internal.*` commands the in-VS-Code suite reads.
// Built only by the test build (esbuild.mjs without --production) and loaded by extension/core/testHooks.ts
// in development and test windows; the production bundle and the .vsix contain none of it.
import * as vscode from 'vscode';
import type { HangarParts } from '../../../extension/core/testHooksLoader';
import type { ActivityInternalArgs } from '../../../extension/activity/activityFeature';
import type { ProviderSignInProbeArgs, SyncProbeArgs } from '../../../extension/core/commandIds';
import { chatHooks, type ChatInternalArgs } from './chatHooks';
import { desktopHooks, type DesktopInternalArgs } from './desktopHooks';
import { snapshot } from './snapshot';

export function register(parts: HangarParts): vscode.Disposable[] {
  const chat = chatHooks(parts);
  const desktop = desktopHooks(parts);
  const commands: Record<string, (...args: never[]) => unknown> = {
    'hangar.internal.activationTime': () => parts.activation.ms,
    'hangar.internal.snapshot': () => snapshot(parts),
    /** The Project details panel: the state last posted, whether `ready` arrived. */
    'hangar.internal.projectPanel': (projectId: string) => {
      const panel = parts.projectPanels.panels.get(projectId);
      if (!panel) return undefined;
      const last = panel.host.channel.lastState;
      return {
        title: panel.host.panel.title,
        visible: panel.host.panel.visible,
        ready: panel.host.channel.ready,
        readyCount: panel.host.channel.readyCount,
        lastState: last?.type === 'state' ? last.state : undefined,
      };
    },
    'hangar.internal.containerLogs': (projectId: string) => parts.logs.probe(projectId),
    'hangar.internal.activity': (args?: ActivityInternalArgs) => parts.activity.internal(args),
    'hangar.internal.chat': (args: ChatInternalArgs) => chat.command(args),
    'hangar.internal.providers': () => parts.providers.probe(),
    'hangar.internal.providerSignIn': (args?: ProviderSignInProbeArgs) => parts.providers.signInProbe(args),
    'hangar.internal.sync': (args?: SyncProbeArgs) => parts.sync.probe(args),
    'hangar.internal.desktop': (args: DesktopInternalArgs) => desktop.command(args),
  };
  return [
    chat.disposable,
    desktop.disposable,
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  ];
}
