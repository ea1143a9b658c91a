import type { Shell } from './featureCore';
import { HangarSession } from './hangarSession';
import { settings } from './settings';
import { attachOfflineStore } from './store/offlineStoreAdapter';
import type { OfflineCache } from './store/offlineCache';
import { showError } from './userErrors';

/**
 * The session (API client, store, event stream) over VS Code's SecretStorage; its own chunk, loaded on
 * first use, with the showError of the chunks (the entry's copy of ApiError is not theirs).
 */
export function createSession({ context, fetch, log, secretRegistry }: Shell): {
  session: HangarSession; showError: typeof showError; offline: OfflineCache;
} {
  const session = new HangarSession({
    secrets: {
      get: async (k) => context.secrets.get(k),
      store: async (k, v) => context.secrets.store(k, v),
      delete: async (k) => context.secrets.delete(k),
    },
    fetch,
    log,
    secretRegistry,
    saveServerUrl: settings.saveServerUrl,
  });
  context.subscriptions.push(session);
  const offline = attachOfflineStore(context, session, log);
  return { session, showError, offline };
}
