import type { SyncCommit, SyncResult, SyncStatus } from '../../../../backend/contract';

export function aCommit(over: Partial<SyncCommit> = {}): SyncCommit {
  return { hash: 'abc1234def5678900000000000000000000000000', subject: 'Fix the parser', author: 'Ada', time: '2025-01-01T00:00:00.000Z', ...over };
}

export function aSyncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    projectId: 'p1', available: true, message: null, branch: 'main', upstream: 'origin/main', ahead: 0, behind: 0, dirty: [], conflicted: [],
    inProgress: null, commitsAhead: [], commitsBehind: [], lastFetchAt: '2025-01-01T00:00:00.000Z', lastSyncAt: null, lastSyncDirection: null,
    syncing: false, webUrl: 'https://github.com/o/r',
    ...over,
  };
}

export function aResult(over: Partial<SyncResult> = {}): SyncResult {
  return { action: 'push', ok: true, commits: [], conflicted: [], dirtyHandling: null, overwritten: [], message: 'done', ...over };
}

/** 2025-01-01T00:00:00Z plus `s` seconds, in ms. */
export const at = (s: number): number => Date.parse('2025-01-01T00:00:00.000Z') + s * 1000;
