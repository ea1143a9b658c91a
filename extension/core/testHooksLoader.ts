// Development and test windows only: hands what activate() built to the test-only hooks
// (test/vscode/hooks, bundled as dist/testHooks.js by the test build), which register the commands the
// in-VS-Code suite reads. A production window never loads them, and the .vsix does not contain them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ActivityFeature } from '../activity/activityFeature';
import type { ChatPanels } from '../chat/chatPanel';
import type { WorkspaceFileIndex } from '../chat/mentions/workspaceFiles';
import type { DesktopPanels } from '../desktop/desktopPanel';
import type { ProvidersFeature } from '../providers/providersFeature';
import type { SyncFeature } from '../sync/syncFeature';
import type { Services } from './services';

/** Everything the hooks may read: the parts activate() built. */
export interface HangarParts extends Services {
  chatPanels: ChatPanels;
  desktopPanels: DesktopPanels;
  mentionIndex: WorkspaceFileIndex;
  activity: ActivityFeature;
  providers: ProvidersFeature;
  sync: SyncFeature;
}

/** What dist/testHooks.js exports. */
export interface TestHooksModule {
  register(parts: HangarParts): vscode.Disposable[];
}

export const TEST_HOOKS_FILE = 'dist/testHooks.js';

export function loadTestHooks(parts: HangarParts): vscode.Disposable[] {
  const { context, log } = parts;
  if (context.extensionMode === vscode.ExtensionMode.Production) return [];
  const file = path.join(context.extensionPath, ...TEST_HOOKS_FILE.split('/'));
  if (!existsSync(file)) return [];
  // A path known only at run time: esbuild leaves this require alone, so the hooks stay out of the bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hooks = require(file) as TestHooksModule;
  log.info(`test hooks loaded from ${TEST_HOOKS_FILE} (${vscode.ExtensionMode[context.extensionMode]} mode)`);
  return hooks.register(parts);
}
