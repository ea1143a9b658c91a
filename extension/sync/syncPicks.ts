import type { SyncCommit, SyncStatus } from '../../backend/contract';
import { plural, relativeTime, shortHash } from './syncFormat';

export type SyncAction = 'push' | 'pull' | 'fetch' | 'forcePush' | 'showCommits' | 'openConflicts' | 'openOnGithub' | 'retryImport';

export interface SyncPick {
  action: SyncAction;
  label: string;
  description?: string;
  detail?: string;
}

/** The items of the status bar's quick pick (and the Sync… command), with why an action would not help. */
export function syncMenuItems(status: SyncStatus | undefined, now: number): SyncPick[] {
  if (status?.importState === 'failed' || status?.importState === 'missing') {
    // Fetch, pull and push have nothing to work against until the repository is imported.
    return [{ action: 'retryImport', label: '$(repo-pull) Retry Import', description: status.importState === 'failed' ? 'the last import failed' : 'the repository is not imported yet' }];
  }
  if (!status?.available) {
    return [{ action: 'fetch', label: '$(cloud-download) Fetch', description: 'check the upstream repository' }];
  }
  const upstream = status.upstream ?? 'the upstream branch';
  const items: SyncPick[] = [];
  items.push({
    action: 'push',
    label: '$(repo-push) Push',
    description: status.behind > 0
      ? `behind by ${status.behind}: pull first (or force push)`
      : status.ahead > 0 ? `${plural(status.ahead, 'commit')} to ${upstream}` : 'nothing to push',
  });
  items.push({
    action: 'pull',
    label: '$(repo-pull) Pull',
    description: status.behind > 0 ? `${plural(status.behind, 'commit')} from ${upstream}` : 'up to date as of the last fetch',
    ...(status.dirty.length ? { detail: `${plural(status.dirty.length, 'uncommitted file')}: committed or stashed first, never discarded` } : {}),
  });
  items.push({ action: 'fetch', label: '$(cloud-download) Fetch', description: `last fetch ${relativeTime(status.lastFetchAt, now)}` });
  items.push({
    action: 'forcePush',
    label: '$(warning) Force Push',
    description: status.behind > 0 ? `with lease: overwrites ${plural(status.behind, 'upstream commit')}` : 'with lease',
  });
  items.push({
    action: 'showCommits',
    label: '$(git-commit) Show Commits',
    description: `↑${status.ahead} ↓${status.behind}`,
  });
  if (status.conflicted.length) {
    items.push({ action: 'openConflicts', label: '$(diff) Open Conflicting Files', description: plural(status.conflicted.length, 'file') });
  }
  if (status.webUrl) items.push({ action: 'openOnGithub', label: '$(github) Open on GitHub', description: status.webUrl });
  return items;
}

export interface CommitPick {
  label: string;
  description?: string;
  detail?: string;
  kind: 'separator' | 'commit';
  hash?: string;
}

/** Show Commits: the commits to push, then those to pull, each with hash, author and age. */
export function commitPicks(status: SyncStatus, now: number): CommitPick[] {
  const group = (title: string, commits: SyncCommit[]): CommitPick[] => commits.length
    ? [{ kind: 'separator', label: title }, ...commits.map((c) => ({
      kind: 'commit' as const,
      label: c.subject,
      description: `${shortHash(c.hash)} · ${c.author}`,
      detail: relativeTime(c.time, now),
      hash: c.hash,
    }))]
    : [];
  const upstream = status.upstream ?? 'upstream';
  const picks = [
    ...group(`To push to ${upstream} (↑${status.ahead})`, status.commitsAhead),
    ...group(`To pull from ${upstream} (↓${status.behind})`, status.commitsBehind),
  ];
  return picks.length ? picks : [{ kind: 'commit', label: 'In sync: no commits to push or pull', description: `as of the last fetch (${relativeTime(status.lastFetchAt, now)})` }];
}
