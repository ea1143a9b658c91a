import * as vscode from 'vscode';
import { activityManifest } from './activity/activityManifest';
import { agentFilesManifest } from './agentFiles/agentFilesManifest';
import { chatManifest } from './chat/chatManifest';
import { connectionManifest } from './connection/connectionManifest';
import type { CommandId } from './core/commandIds';
import type { FeatureManifest } from './core/feature';
import type { Shell } from './core/featureCore';
import { FeatureHost } from './core/featureHost';
import { channelLogger } from './core/log';
import { SecretRegistry } from './core/redact';
import { UriRouter } from './core/uriRouter';
import { loadTestHooks } from './core/testHooksLoader';
import { desktopManifest } from './desktop/desktopManifest';
import { projectsManifest } from './projects/projectsManifest';
import { providersManifest } from './providers/providersManifest';
import { settingsManifest } from './settings/settingsManifest';
import { syncManifest } from './sync/syncManifest';

/** Every feature; each one's code loads the first time one of its commands, views or links needs it. */
const FEATURES = [
  connectionManifest, projectsManifest, chatManifest, providersManifest, syncManifest, activityManifest,
  desktopManifest, agentFilesManifest, settingsManifest,
] as const;

/** The composition root: builds the core and lists the features. No network or disk work before it returns. */
export function activate(context: vscode.ExtensionContext): Promise<void> | undefined {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Hangar', { log: true });
  const secretRegistry = new SecretRegistry();
  const shell: Shell = {
    context, channel, secretRegistry,
    log: channelLogger(channel, secretRegistry),
    fetch: (url, init) => globalThis.fetch(url, init),
    uriRouter: new UriRouter(),
    activation: { ms: undefined },
  };
  // Through unknown: each manifest is typed by its own feature, the host takes them all alike.
  const host = new FeatureHost(shell, FEATURES as unknown as readonly FeatureManifest[],
    async (s) => (await import('./core/sessionFactory')).createSession(s));
  context.subscriptions.push(channel, host);
  host.register();
  shell.activation.ms = performance.now() - started;
  shell.log.info(`activated in ${shell.activation.ms.toFixed(1)} ms`);
  // Everything slow happens after activate() returned.
  setTimeout(() => host.startup(), 0);
  // Development and test windows only: the suite's hooks, registered before activation completes.
  return loadTestHooks(shell, host);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

// Every command belongs to exactly one feature: a command no feature lists is a compile error here.
type Listed = (typeof FEATURES)[number]['commands'][number];
const everyCommandListed: Exclude<CommandId, Listed> extends never ? true : never = true;
void everyCommandListed;
