import { UnsyncedChanges, type SyncCommit, type SyncResult, type SyncStatus } from '../../backend/contract';
import { commitLine, plural } from './syncFormat';

const LIST_MAX = 5;

/** "a.ts, b.ts and 3 more" */
export function listText(items: string[], max = LIST_MAX): string {
  if (items.length <= max) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  }
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function subjects(commits: SyncCommit[]): string {
  const shown = commits.slice(0, LIST_MAX).map((c) => `“${c.subject}”`);
  return commits.length > LIST_MAX ? `${shown.join(', ')} and ${commits.length - LIST_MAX} more` : shown.join(', ');
}

/**
 * The notification at the end of a push, pull or fetch: what moved, with the subjects, and how the
 * agent's uncommitted changes were handled.
 */
export function resultSummary(result: SyncResult, projectName: string, pullMode?: 'merge' | 'rebase'): string {
  const n = result.commits.length;
  const dirty = result.dirtyHandling ? ` Uncommitted changes were ${result.dirtyHandling}.` : '';
  switch (result.action) {
    case 'push': {
      if (!n) return `Hangar: "${projectName}": nothing to push.`;
      const over = result.overwritten.length ? ` Overwrote ${plural(result.overwritten.length, 'upstream commit')}: ${subjects(result.overwritten)}.` : '';
      return `Hangar: pushed ${plural(n, 'commit')} from "${projectName}": ${subjects(result.commits)}.${over}`;
    }
    case 'pull': {
      const how = pullMode ? ` (${pullMode === 'rebase' ? 'rebased' : 'merged'})` : '';
      if (!n) return `Hangar: "${projectName}" is up to date: nothing to pull.${dirty}`;
      return `Hangar: pulled ${plural(n, 'commit')} into "${projectName}"${how}: ${subjects(result.commits)}.${dirty}`;
    }
    case 'fetch':
      return `Hangar: fetched "${projectName}". ${result.message}`;
    case 'import':
      return `Hangar: imported the repository into "${projectName}". ${result.message}`;
  }
}

export type ConflictChoice = 'Force Push' | 'Pull and Merge' | 'Open Conflicting Files' | 'Cancel';

export interface ConflictNotice {
  message: string;
  items: ConflictChoice[];
}

/**
 * A pull that conflicted: which files, what state the workspace is in, and the ways forward. When the
 * merge was kept in progress, "Pull and Merge" makes no sense any more: resolving does.
 */
export function conflictNotice(projectName: string, files: string[], kept: boolean): ConflictNotice {
  const state = kept
    ? 'The merge is kept in progress in the workspace: resolve the files (ask the agent, or edit them), then commit.'
    : 'The pull was aborted and the workspace is clean: nothing was lost.';
  const message = `Hangar: pulling into "${projectName}" conflicts in ${plural(files.length, 'file')}: ${listText(files)}. ${state} `
    + 'Force Push overwrites the upstream changes with yours; Pull and Merge keeps the merge in progress so the conflicts can be resolved.';
  return {
    message,
    items: kept ? ['Open Conflicting Files', 'Force Push', 'Cancel'] : ['Force Push', 'Pull and Merge', 'Open Conflicting Files', 'Cancel'],
  };
}

/** The modal confirmation of a force push: what it overwrites (the upstream commits not in the workspace). */
export function forcePushConfirmation(projectName: string, status: SyncStatus | undefined): { message: string; detail: string } {
  const upstream = status?.upstream ?? 'the upstream branch';
  const lost = status?.commitsBehind ?? [];
  const detail = lost.length
    ? `Force push (with lease) replaces ${upstream} with the workspace's branch. ${lost.length === 1 ? 'This upstream commit' : `These ${lost.length} upstream commits`} will no longer be on it:\n\n`
      + lost.slice(0, 15).map((c) => `• ${commitLine(c)} (${c.author})`).join('\n')
      + (lost.length > 15 ? `\n• … and ${lost.length - 15} more` : '')
      + '\n\nThe lease refuses the push if the upstream moved since the last fetch.'
    : `As of the last fetch, no upstream commit would be overwritten on ${upstream}. The lease refuses the push if the upstream moved since then.`;
  return { message: `Force push "${projectName}"?`, detail };
}

/** Why a push cannot go through as it is. */
export function pushBlockedReason(status: SyncStatus | undefined): string | undefined {
  if (!status?.available) return status?.message ?? 'the project has no synced repository yet';
  if (status.conflicted.length || status.inProgress) return `the workspace has ${status.inProgress ?? 'a merge'} in progress with conflicts: resolve or abort it first`;
  if (status.behind > 0) return `it is behind ${status.upstream ?? 'upstream'} by ${plural(status.behind, 'commit')}: pull first, or force push`;
  return undefined;
}

/** The details of a 409 `unsynced_changes` answer, or undefined for any other error. */
export function unsyncedChangesOf(e: unknown): UnsyncedChanges | undefined {
  const err = e as { status?: unknown; code?: unknown; details?: unknown } | undefined;
  if (!err || err.status !== 409 || err.code !== 'unsynced_changes') return undefined;
  const parsed = UnsyncedChanges.safeParse(err.details);
  return parsed.success ? parsed.data : { commitsAhead: [], dirty: [] };
}

export type GuardedAction = 'stop' | 'delete' | 'changeTier' | 'move';

const VERB: Record<GuardedAction, string> = { stop: 'Stopping', delete: 'Deleting', changeTier: 'Changing the tier of', move: 'Moving' };

/**
 * The buttons of a guard, the safe one first: a modal's first button is its default (Enter), so
 * Enter pushes the work first, or keeps things as they are; never "anyway".
 */
export interface GuardButtons { safe: string; push: boolean; anyway: string }

export function guardButtons(action: GuardedAction, changes: UnsyncedChanges): GuardButtons {
  const push = changes.commitsAhead.length > 0;
  const safe = push
    ? { stop: 'Push, then Stop', delete: 'Push, then Delete', changeTier: 'Push, then Change the Tier', move: 'Push, then Move' }[action]
    : { stop: 'Keep Running', delete: 'Keep Project', changeTier: 'Keep the Tier', move: 'Stay Here' }[action];
  return { safe, push, anyway: { stop: 'Stop Anyway', delete: 'Delete Anyway', changeTier: 'Change Anyway', move: 'Move Anyway' }[action] };
}

/** The warning before an action would strand unpushed commits or uncommitted changes. */
export function unsyncedWarning(action: GuardedAction, projectName: string, changes: UnsyncedChanges): { message: string; detail: string } {
  const parts: string[] = [];
  if (changes.commitsAhead.length) {
    parts.push(`${plural(changes.commitsAhead.length, 'unpushed commit')}:\n`
      + changes.commitsAhead.slice(0, 10).map((c) => `• ${commitLine(c)}`).join('\n')
      + (changes.commitsAhead.length > 10 ? `\n• … and ${changes.commitsAhead.length - 10} more` : ''));
  }
  if (changes.dirty.length) {
    parts.push(`${plural(changes.dirty.length, 'file')} with uncommitted changes:\n`
      + changes.dirty.slice(0, 10).map((f) => `• ${f}`).join('\n')
      + (changes.dirty.length > 10 ? `\n• … and ${changes.dirty.length - 10} more` : ''));
  }
  const what = parts.length ? parts.join('\n\n') : 'Work that is not on GitHub yet.';
  const b = guardButtons(action, changes);
  return {
    message: `"${projectName}" has work that is not on GitHub`,
    detail: `${VERB[action]} "${projectName}" may leave it behind.\n\n${what}\n\n`
      + (b.push ? `"${b.safe}" pushes the commits to GitHub first; ` : `Ask the agent to commit the changes and push them first ("${b.safe}"), or: `)
      + `"${b.anyway}" goes ahead without pushing.`,
  };
}
