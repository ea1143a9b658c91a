// The test-only hooks (dist/testHooks.mjs): the `hangar.internal.*` commands the in-VS-Code suite reads.
// Built only by the test build (esbuild.mjs without --production) and loaded by extension/core/testHooksLoader.ts
// in development and test windows; the production bundle and the .vsix contain none of it. Each command
// loads the feature it reads (as the product's own commands do); panels are tapped as their feature loads.
import * as vscode from 'vscode';
import type { HangarParts } from '../../../extension/core/testHooksLoader';
import type { ActivityFeature } from '../../../extension/activity/activityFeature';
import type { ChatFeature } from '../../../extension/chat/chatFeature';
import type { DesktopFeature } from '../../../extension/desktop/desktopFeature';
import type { ProjectsFeature } from '../../../extension/projects/projectsFeature';
import type { ProvidersFeature } from '../../../extension/providers/providersFeature';
import type { SyncFeature } from '../../../extension/sync/syncFeature';
import { activityHooks, type ActivityInternalArgs } from './activityHooks';
import { agentTree, type AgentTreeArgs } from './agentTreeHooks';
import { chatHooks, type ChatInternalArgs } from './chatHooks';
import { desktopHooks, type DesktopInternalArgs } from './desktopHooks';
import { logHooks } from './logHooks';
import { providerHooks, type ProviderSignInArgs } from './providerHooks';
import { settingsCommand, type SettingsInternalArgs } from './settingsHooks';
import { snapshot } from './snapshot';
import { syncHooks, type SyncProbeArgs } from './syncHooks';
import { WindowTaps } from './windowTaps';

export function register({ shell, features }: HangarParts): vscode.Disposable[] {
  const chat = chatHooks(shell.context.extensionUri);
  const desktop = desktopHooks(shell.context.extensionUri);
  const activity = activityHooks(shell.uriRouter);
  const providers = providerHooks(shell.context.logUri.fsPath);
  const sync = syncHooks();
  const logs = logHooks();
  const dialogs = new WindowTaps(() => undefined);
  // Each feature's parts are tapped as it loads, before its first command runs or event arrives.
  const loaded = features.onDidLoad((f) => {
    if (f.id === 'chat') chat.loaded(f as ChatFeature);
    if (f.id === 'desktop') desktop.loaded(f as DesktopFeature);
    if (f.id === 'activity') activity.loaded(f as ActivityFeature);
    if (f.id === 'providers') providers.loaded(f as ProvidersFeature);
    if (f.id === 'sync') sync.loaded(f as SyncFeature);
    if (f.id === 'projects') logs.tapSession((f as ProjectsFeature).services.session);
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
    /** Queues answers for the next modal warnings ({answers}), and returns the modals answered so far. */
    'hangar.internal.modals': (args?: { answers?: (string | null)[]; inputs?: (string | null)[] }) => {
      dialogs.modalAnswers.push(...(args?.answers ?? []));
      dialogs.inputAnswers.push(...(args?.inputs ?? []));
      return dialogs.modals;
    },
    /** The Agent subtree below a project row as the view shows it; `run`: a node's menu command. */
    'hangar.internal.agentTree': async (args: AgentTreeArgs) => {
      await features.load('agentFiles');
      return agentTree(await features.load('projects'), args);
    },
    /** What a window opening does with the stored token (the offline suite: a "reload" while the API is down). */
    'hangar.internal.resume': async (url: string) => (await projects()).session.resume(url),
    'hangar.internal.containerLogs': async (projectId: string) => {
      await features.load('projects');
      return logs.probe(projectId);
    },
    'hangar.internal.activity': async (args?: ActivityInternalArgs) => {
      return activity.command(await features.load('activity'), (await projects()).session, args);
    },
    'hangar.internal.chat': async (args: ChatInternalArgs) => chat.command(await features.load('chat'), args),
    'hangar.internal.providers': async () => providers.providers(await features.load('providers')),
    'hangar.internal.providerSignIn': async (args?: ProviderSignInArgs) => {
      return providers.signIn(await features.load('providers'), args);
    },
    'hangar.internal.sync': async (args?: SyncProbeArgs) => {
      return sync.command(await features.load('sync'), await features.load('projects'), args);
    },
    'hangar.internal.settings': async (args?: SettingsInternalArgs) => {
      return settingsCommand(await features.load('settings'), args);
    },
    'hangar.internal.desktop': async (args: DesktopInternalArgs) => {
      return desktop.command(await features.load('desktop'), args);
    },
  };
  return [
    loaded,
    desktop.disposable,
    providers.disposable,
    dialogs,
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  ];
}
