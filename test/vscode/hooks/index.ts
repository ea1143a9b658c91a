// The test-only hooks (dist/testHooks.mjs): the `hangar.internal.*` commands the in-VS-Code suite reads.
// Built only by the test build (esbuild.mjs without --production) and loaded by extension/core/testHooksLoader.ts
// in development and test windows; the production bundle and the .vsix contain none of it. Each command
// loads the feature it reads (as the product's own commands do); panels are tapped as their feature loads.
import * as vscode from 'vscode';
import type { HangarParts } from '../../../extension/core/testHooksLoader';
import type { ActivityInternalArgs } from '../../../extension/activity/activityFeature';
import type { ChatFeature } from '../../../extension/chat/chatFeature';
import type { ProviderSignInProbeArgs, SyncProbeArgs } from '../../../extension/core/commandIds';
import type { DesktopFeature } from '../../../extension/desktop/desktopFeature';
import { chatHooks, type ChatInternalArgs } from './chatHooks';
import { desktopHooks, type DesktopInternalArgs } from './desktopHooks';
import { snapshot } from './snapshot';

export function register({ shell, features }: HangarParts): vscode.Disposable[] {
  const chat = chatHooks(shell.context.extensionUri);
  const desktop = desktopHooks(shell.context.extensionUri);
  const loaded = features.onDidLoad((f) => {
    if (f.id === 'chat') chat.loaded(f as ChatFeature);
    if (f.id === 'desktop') desktop.loaded(f as DesktopFeature);
  });
  const projects = async () => (await features.load('projects')).services;
  const commands: Record<string, (...args: never[]) => unknown> = {
    'hangar.internal.activationTime': () => shell.activation.ms,
    'hangar.internal.snapshot': async () => snapshot(await projects()),
    /** The Project details panel: the state last posted, whether `ready` arrived. */
    'hangar.internal.projectPanel': async (projectId: string) => {
      const panel = (await features.load('projects')).panels.panels.get(projectId);
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
    /** What a window opening does with the stored token (the offline suite: a "reload" while the API is down). */
    'hangar.internal.resume': async (url: string) => (await projects()).session.resume(url),
    'hangar.internal.containerLogs': async (projectId: string) => (await projects()).logs.probe(projectId),
    'hangar.internal.activity': async (args?: ActivityInternalArgs) => (await features.load('activity')).internal(args),
    'hangar.internal.chat': async (args: ChatInternalArgs) => chat.command(await features.load('chat'), args),
    'hangar.internal.providers': async () => (await features.load('providers')).probe(),
    'hangar.internal.providerSignIn': async (args?: ProviderSignInProbeArgs) => {
      return (await features.load('providers')).signInProbe(args);
    },
    'hangar.internal.sync': async (args?: SyncProbeArgs) => (await features.load('sync')).probe(args),
    /** The settings panel's probe, or (with `inject`) a webview request run through its host. */
    'hangar.internal.settings': async (args?: { inject?: unknown }) => {
      const { panel } = await features.load('settings');
      return args?.inject ? panel.inject(args.inject) : panel.probe();
    },
    'hangar.internal.desktop': async (args: DesktopInternalArgs) => {
      return desktop.command(await features.load('desktop'), args);
    },
  };
  return [
    loaded,
    desktop.disposable,
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  ];
}
