import path from 'node:path';
import type * as vscode from 'vscode';
import type { HangarSession } from '../hangarSession';
import type { Logger } from '../ports';
import { settings } from '../settings';
import { realTimers } from '../timers';
import { LocalStore } from './localStore';
import { offlineCache, type OfflineCache } from './offlineCache';
import { mirrorToOfflineStore } from './offlineMirror';
import { nodeStoreFile } from './storeFile';

const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * The offline store in the extension's global storage, fed by the session (thin: the logic is in
 * localStore.ts and offlineMirror.ts). Its file is read in the background: activation does not wait.
 */
export function attachOfflineStore(context: vscode.ExtensionContext, session: HangarSession, log: Logger): OfflineCache {
  const store = new LocalStore({
    file: nodeStoreFile(path.join(context.globalStorageUri.fsPath, 'offline-store.v1')),
    listsFile: nodeStoreFile(path.join(context.globalStorageUri.fsPath, 'offline-lists.v1')),
    log,
    timers: realTimers,
    limits: () => ({
      maxBytes: settings.offlineStoreLimitMB() * 1024 * 1024,
      transcriptsPerProject: settings.offlineTranscriptsPerProject(),
      maxAgeMs: MAX_AGE_MS,
    }),
  });
  void store.load();
  const mirror = mirrorToOfflineStore(session, store);
  context.subscriptions.push({ dispose: () => { mirror.dispose(); void store.flush(); } });
  // Before the link opens (a window starting), the server being connected to is the one to read.
  return offlineCache(store, () => session.serverUrl ?? (session.state.kind === 'disconnected' ? undefined : session.state.url));
}
