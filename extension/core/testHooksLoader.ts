// Development and test windows only: hands the shell and the feature host to the test-only hooks
// (test/vscode/hooks, bundled as dist/testHooks.mjs by the test build), which register the commands the
// in-VS-Code suite reads. A production window never loads them, and the .vsix does not contain them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { FeatureHost } from './featureHost';
import type { Shell } from './featureCore';

/** What the hooks may use: the shell, and the features (loaded on demand, or as they load). */
export interface HangarParts {
  shell: Shell;
  features: Pick<FeatureHost, 'load' | 'onDidLoad'>;
}

/** What dist/testHooks.mjs exports. */
export interface TestHooksModule {
  register(parts: HangarParts): vscode.Disposable[];
}

export const TEST_HOOKS_FILE = 'dist/testHooks.mjs';

/** Undefined (at once) in production or when the test build is absent; else resolves once the hooks are registered. */
export function loadTestHooks(shell: Shell, features: HangarParts['features']): Promise<void> | undefined {
  const { context, log } = shell;
  if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
  const file = path.join(context.extensionPath, ...TEST_HOOKS_FILE.split('/'));
  if (!existsSync(file)) return undefined;
  // A path known only at run time: esbuild leaves this import alone, so the hooks stay out of the bundle.
  return import(pathToFileURL(file).href).then((hooks: TestHooksModule) => {
    context.subscriptions.push(...hooks.register({ shell, features }));
    log.info(`test hooks loaded from ${TEST_HOOKS_FILE} (${vscode.ExtensionMode[context.extensionMode]} mode)`);
  }, (e: unknown) => log.error(`test hooks failed to load: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
}
