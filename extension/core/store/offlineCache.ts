import type { LocalStore } from './localStore';
import type { CachedTranscript, ListSection } from './storeSchema';

/**
 * The offline store as the features see it: bound to the server the session talks to now, so a view
 * never reads another server's copy. Reads are from memory; `ready` resolves once the file was read
 * (a window opened while the API is down waits for it before it shows the copy).
 */
export interface OfflineCache {
  readonly ready: Promise<void>;
  /** Resolves once the lists can be read: before `ready` when the small lists file exists. */
  readonly listsReady: Promise<void>;
  list(section: ListSection): { at: number; items: readonly unknown[] } | undefined;
  putList(section: ListSection, items: readonly unknown[], at?: number): void;
  /** The project's cached sessions, most recently used first. */
  transcripts(projectId: string): { sessionId: string; transcript: Readonly<CachedTranscript> }[];
  putTranscript(projectId: string, sessionId: string, t: { title?: string; messages: readonly unknown[] }): void;
  /** Marks one transcript as used (it is evicted last). */
  touchTranscript(projectId: string, sessionId: string): void;
}

export function offlineCache(local: LocalStore, serverUrl: () => string | undefined): OfflineCache {
  return {
    ready: local.ready,
    listsReady: local.listsReady,
    list: (section) => {
      const url = serverUrl();
      return url ? local.list(url, section) : undefined;
    },
    putList: (section, items, at) => {
      const url = serverUrl();
      if (url) local.putList(url, section, items, at);
    },
    transcripts: (projectId) => {
      const url = serverUrl();
      return url ? local.transcripts(url, projectId) : [];
    },
    putTranscript: (projectId, sessionId, t) => {
      const url = serverUrl();
      if (url) local.putTranscript(url, projectId, sessionId, t);
    },
    touchTranscript: (projectId, sessionId) => {
      const url = serverUrl();
      if (url) local.transcript(url, projectId, sessionId);
    },
  };
}

/** A cache that keeps nothing (unit tests of features that do not look at it). */
export const NO_OFFLINE_CACHE: OfflineCache = {
  ready: Promise.resolve(),
  listsReady: Promise.resolve(),
  list: () => undefined,
  putList: () => undefined,
  transcripts: () => [],
  putTranscript: () => undefined,
  touchTranscript: () => undefined,
};
