import type { Project, SyncCommit, SyncStatus } from '../../backend/contract';

/** Escapes text for a MarkdownString (branch names, file names and subjects come from users). */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; `never` for null. */
export function relativeTime(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return plural(Math.round(h / 24), 'day') + ' ago';
}

export function shortHash(hash: string): string {
  return hash.slice(0, 7);
}

/** "abc1234 Fix the parser" */
export function commitLine(c: SyncCommit): string {
  return `${shortHash(c.hash)} ${c.subject}`;
}

/** The sync state in a project row's description: "↑1 ↓0", with conflicts and syncing marked. */
export function syncBadge(status: SyncStatus | undefined): string | undefined {
  if (status?.importState === 'failed') return status.syncing ? 'importing…' : 'import failed';
  if (status?.importState === 'missing') return status.syncing ? 'importing…' : 'not imported';
  if (!status?.available) return undefined;
  const parts = [`↑${status.ahead} ↓${status.behind}`];
  if (status.conflicted.length) parts.push(`⚠ ${plural(status.conflicted.length, 'conflict')}`);
  else if (status.inProgress) parts.push(`⚠ ${status.inProgress} in progress`);
  if (status.syncing) parts.push('syncing…');
  return parts.join(' ');
}

export interface StatusBarView {
  visible: boolean;
  text: string;
  /** Markdown. */
  tooltip: string;
  warning: boolean;
  accessibilityLabel: string;
}

const HIDDEN: StatusBarView = { visible: false, text: '', tooltip: '', warning: false, accessibilityLabel: '' };

/**
 * The status-bar item of the focused project: `$(git-branch) main ↑1 ↓0`, a spinner while syncing, a
 * warning on conflicts. Hidden without a focused project or when the project has no repository.
 */
export function statusBarView(project: Pick<Project, 'name' | 'repository'> | undefined, status: SyncStatus | undefined, now: number): StatusBarView {
  if (!project?.repository) return HIDDEN;
  const icon = status?.syncing ? '$(sync~spin)' : '$(git-branch)';
  if (!status?.available) {
    const branch = status?.branch ?? project.repository.branch;
    const why = status?.message ?? (status ? 'The workspace is not a git repository yet.' : 'Loading the sync status…');
    // An import that failed or never ran is said so in the item itself, not only in its tooltip.
    const state = status?.importState === 'failed' ? ' $(error) import failed' : status?.importState === 'missing' ? ' $(circle-slash) not imported' : ' $(circle-slash)';
    return {
      visible: true,
      text: `${icon} ${branch}${status?.syncing ? '' : state}`,
      tooltip: [`**Hangar sync — ${md(project.name)}**`, '', md(why), '', `Repository: ${md(project.repository.url)}`, '',
        ...(status?.importState && status.importState !== 'imported' ? ['Click for Retry Import.'] : [])].join('\n'),
      warning: status?.importState === 'failed',
      accessibilityLabel: `Hangar sync of ${project.name}: ${status?.importState === 'failed' ? 'the import failed' : status?.importState === 'missing' ? 'not imported yet' : 'not available'}. ${why}`,
    };
  }
  const conflicts = status.conflicted.length;
  const branch = `${status.branch ?? '(detached)'}${status.dirty.length ? '*' : ''}`;
  const text = `${icon} ${branch} ↑${status.ahead} ↓${status.behind}${conflicts ? ` $(warning) ${conflicts}` : ''}`;
  return {
    visible: true,
    text,
    tooltip: tooltipLines(project, status, now).join('\n'),
    warning: conflicts > 0 || status.inProgress !== null,
    accessibilityLabel: `Hangar sync of ${project.name}: branch ${status.branch ?? 'detached'}, ${status.ahead} to push, ${status.behind} to pull`
      + `${conflicts ? `, ${plural(conflicts, 'conflicting file')}` : ''}${status.syncing ? ', syncing' : ''}`,
  };
}

function tooltipLines(project: Pick<Project, 'name'>, s: SyncStatus, now: number): string[] {
  const lines = [`**Hangar sync — ${md(project.name)}**`, ''];
  lines.push(`Branch \`${s.branch ?? '(detached)'}\`${s.upstream ? ` → \`${s.upstream}\`` : ' (no upstream)'}`, '');
  lines.push(`↑ ${plural(s.ahead, 'commit')} to push · ↓ ${plural(s.behind, 'commit')} to pull`, '');
  lines.push(`Last fetch: ${relativeTime(s.lastFetchAt, now)}`, '');
  lines.push(`Last sync: ${s.lastSyncAt ? `${s.lastSyncDirection === 'pull' ? 'pulled' : 'pushed'} ${relativeTime(s.lastSyncAt, now)}` : 'never'}`, '');
  if (s.dirty.length) lines.push(`Uncommitted changes: ${plural(s.dirty.length, 'file')}`, '');
  if (s.conflicted.length) {
    lines.push(`$(warning) **Conflicts in ${plural(s.conflicted.length, 'file')}:** ${s.conflicted.slice(0, 8).map(md).join(', ')}${s.conflicted.length > 8 ? ', …' : ''}`, '');
  }
  if (s.inProgress) lines.push(`$(warning) A ${s.inProgress} is in progress in the workspace.`, '');
  if (s.syncing) lines.push('$(sync~spin) Syncing…', '');
  if (s.message) lines.push(md(s.message), '');
  lines.push('Click for Push, Pull, Fetch and more.');
  return lines;
}
