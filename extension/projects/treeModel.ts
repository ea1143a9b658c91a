import { REDEPLOY_NOTE, type Project, type ProjectStatus, type SyncStatus, type Tier } from '../../backend/contract';
import { memoryText } from '../../webviews/shared/units';
import { AGENT_STATE_TEXT } from '../activity/activityFormat';
import type { AgentState } from '../activity/activityModel';
import { syncBadge } from '../sync/syncFormat';
import { projectContextValue } from './containerActions';
import type { ConnectionState } from '../connection/connectionState';
import type { LoadState } from '../core/hangarStore';
import { markStale, staleSince } from '../core/views/staleRows';

/** What a tree row shows, built without vscode so it can be unit-tested; the tree providers map it 1:1. */
export interface RowModel {
  /** Stable: never contains a value that changes (status, name). */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  contextValue: string;
  icon: { id: string; color?: string };
  command?: { command: string; title: string };
}

const STATUS_ICON: Record<ProjectStatus, { id: string; color?: string }> = {
  not_deployed: { id: 'circle-outline' },
  deploying: { id: 'loading~spin' },
  starting: { id: 'loading~spin' },
  running: { id: 'vm-running', color: 'testing.iconPassed' },
  stopping: { id: 'loading~spin' },
  stopped: { id: 'vm-outline' },
  crashed: { id: 'error', color: 'errorForeground' },
  failed: { id: 'error', color: 'errorForeground' },
};

export function statusLabel(status: ProjectStatus): string {
  return status.replace(/_/g, ' ');
}

/** "2 CPU · 4g RAM · 30 GB" */
export function tierResources(tier: Tier): string {
  return `${tier.cpus} CPU · ${memoryText(tier.memory)} RAM · ${tier.storageGb} GB disk`;
}

/** Escapes text for a MarkdownString (names come from users). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** Limits the runtime could not enforce (cgroups not writable, say); an older server sends none. */
export function runtimeNotes(project: Project): string[] {
  return project.runtimeNotes ?? [];
}

const PROBLEM: Partial<Record<ProjectStatus, string>> = { crashed: 'Crashed', failed: 'Failed' };

/** A reason cut to one short line for the row's description (the tooltip has all of it). */
export function shortReason(reason: string, max = 60): string {
  // The first line, up to a "; last log lines:" style continuation: the tooltip has the rest.
  const first = (reason.split('\n').map((l) => l.trim()).find(Boolean) ?? '').split(/;\s/)[0]!.replace(/[:;,]\s*$/, '');
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** The reason's first line in bold words, the rest (last log lines, say) as a code block. */
function problemLines(problem: string, reason: string | null): string[] {
  const [first = '', ...rest] = (reason ?? '').split('\n');
  // The last few lines are enough for a hover; Show Container Logs has all of them.
  const tail = rest.map((l) => l.trimEnd()).filter(Boolean).slice(-6).join('\n');
  return [
    `$(error) **${problem}:** ${first.trim() ? md(first.trim()) : 'no reason given'}`,
    '',
    ...(tail ? ['```text', tail.replace(/```/g, "'''"), '```', ''] : []),
    'Right-click for Show Container Logs or Retry.',
    '',
  ];
}

/** `agent`: the project's agent state from the Activity model (shown while the container runs). */
export function projectRow(project: Project, tier?: Tier, sync?: SyncStatus, agent?: AgentState): RowModel {
  const agentText = agent && project.status === 'running' ? AGENT_STATE_TEXT[agent] : undefined;
  const problem = PROBLEM[project.status];
  const all = runtimeNotes(project);
  const notes = all.filter((n) => !n.startsWith(REDEPLOY_NOTE));
  const redeploy = all.find((n) => n.startsWith(REDEPLOY_NOTE));
  const lines = [
    `**${md(project.name)}**`,
    '',
    ...(problem ? problemLines(problem, project.statusReason) : []),
    `Status: ${md(statusLabel(project.status))}${!problem && project.statusReason ? ` — ${md(project.statusReason)}` : ''}`,
    '',
    ...(agentText ? [`Agent: ${agentText.replace(/^agent /, '')}`, ''] : []),
    `Tier: ${md(project.tierId)}${tier ? ` (${md(tierResources(tier))}${tier.hasDesktopAccess ? ', desktop' : ''})` : ''}`,
    '',
    `Provider: ${project.providerOverride ? md(project.providerOverride) : 'default'}`,
    '',
    `Repository: ${project.repository ? `${md(project.repository.url)} @ ${md(project.repository.branch)}` : 'none'}`,
    '',
    ...(project.repository && syncBadge(sync) ? [`Sync: ${md(syncBadge(sync)!)}`, ''] : []),
    `Runtime: ${md(project.runtime)}${project.urls.agent ? ` · agent ${md(project.urls.agent)}` : ''}`,
    '',
    ...(redeploy ? [`$(warning) ${md(redeploy)} Right-click → Deploy Container.`, ''] : []),
    ...(notes.length ? [`$(warning) Not enforced: ${notes.map(md).join('; ')}`, ''] : []),
    `Created: ${md(project.createdAt)} · Updated: ${md(project.updatedAt)}`,
    '',
    `Id: \`${project.id}\``,
  ];
  const reason = problem && project.statusReason ? `: ${shortReason(project.statusReason)}` : '';
  const desktop = tier !== undefined && (tier.imageType === 'desktop' || tier.hasDesktopAccess);
  // The runtime gave up restarting the desktop (the agent still runs): the row says so, the tooltip says why.
  const desktopDown = desktop && project.status === 'running' && /^The desktop stopped/.test(project.statusReason ?? '') ? ' · desktop down: redeploy' : '';
  return {
    id: `project:${project.id}`,
    label: project.name,
    description: `${project.tierId} · ${statusLabel(project.status)}${reason}${desktopDown}${agentText ? ` · ${agentText}` : ''}${redeploy ? ' · redeploy needed' : ''}${project.repository && syncBadge(sync) ? ` · ${syncBadge(sync)}` : ''}`,
    tooltip: lines.join('\n'),
    contextValue: projectContextValue(project) + (desktop ? DESKTOP_MARKER : ''),
    icon: desktop ? desktopIcon(project.status) : STATUS_ICON[project.status],
  };
}

/** Appended to a desktop-tier project's contextValue: the menus offer "Open Desktop" on it. */
export const DESKTOP_MARKER = '.desktop';

/** Desktop-tier rows show a screen instead of the VM icon, in the status colour (spinners and errors stay). */
function desktopIcon(status: ProjectStatus): { id: string; color?: string } {
  const base = STATUS_ICON[status];
  return base.id === 'vm-running' || base.id === 'vm-outline' || base.id === 'circle-outline' ? { ...base, id: 'device-desktop' } : base;
}

export function tierRow(tier: Tier): RowModel {
  const tooltip = [
    `**${md(tier.name)}** (\`${tier.id}\`)${tier.isDefault ? ' — default tier' : ''}${tier.retired ? ' — retired' : ''}`,
    '',
    tier.description ? `${md(tier.description)}\n` : '',
    `CPUs: ${tier.cpus}`,
    '',
    `Memory: ${tier.memory} (reserved ${tier.memoryReservation})`,
    '',
    `Storage: ${tier.storageGb} GB`,
    '',
    `Desktop access: ${tier.hasDesktopAccess ? 'yes (VNC)' : 'no'}`,
    '',
    `Image: ${tier.imageType} · ports ${tier.exposedPorts}`,
    '',
    `Projects: ${tier.projectCount}`,
  ].join('\n');
  const flags = [tier.isDefault ? 'default' : '', tier.retired ? 'retired' : ''].filter(Boolean);
  return {
    id: `tier:${tier.id}`,
    label: tier.name && tier.name.toLowerCase() !== tier.id ? `${tier.id} — ${tier.name}` : tier.id,
    description: `${tierResources(tier)}${flags.length ? ` · ${flags.join(' · ')}` : ''}`,
    tooltip,
    contextValue: `tier${tier.isDefault ? '.default' : ''}${tier.retired ? '.retired' : ''}`,
    icon: tier.hasDesktopAccess ? { id: 'device-desktop' } : tier.isDefault ? { id: 'star-full' } : { id: 'server' },
  };
}

/**
 * The rows of a view: nothing while disconnected (the view's welcome content shows instead), a loading
 * row, an error row with Retry, an empty row, or the items.
 */
export function viewRows<T>(
  what: 'projects' | 'tiers',
  connection: ConnectionState,
  load: LoadState,
  items: T[],
  row: (item: T) => RowModel,
  now: number = Date.now(),
): RowModel[] {
  if (connection.kind === 'disconnected' || connection.kind === 'unauthorised') return [];
  const stale = staleSince(connection, load.kind === 'loaded' ? load.at : undefined);
  if (items.length > 0) return stale === undefined ? items.map(row) : items.map((i) => markStale(row(i), stale, now));
  switch (load.kind) {
    case 'idle':
    case 'loading':
      return [{ id: `${what}:loading`, label: `Loading ${what}…`, contextValue: 'loading', icon: { id: 'loading~spin' } }];
    case 'error':
      return [
        { id: `${what}:error`, label: `Could not load ${what}: ${load.message}`, tooltip: md(load.message), contextValue: 'error', icon: { id: 'error', color: 'errorForeground' } },
        { id: `${what}:retry`, label: 'Retry', contextValue: 'retry', icon: { id: 'refresh' }, command: { command: 'hangar.refresh', title: 'Retry' } },
      ];
    case 'loaded':
      return what === 'projects'
        ? [{ id: 'projects:empty', label: 'No projects yet — create one', contextValue: 'empty', icon: { id: 'add' }, command: { command: 'hangar.createProject', title: 'Create Project' } }]
        : [{ id: 'tiers:empty', label: 'The server has no container tiers', contextValue: 'empty', icon: { id: 'info' } }];
  }
}

/** The last row of the Projects view while the server has more (older) projects than the pages loaded. */
export function loadMoreRow(shown: number): RowModel {
  return {
    id: 'projects:more', label: 'Load more projects…', description: `${shown} shown`,
    tooltip: 'Older projects are loaded a page at a time.', contextValue: 'loadMore', icon: { id: 'ellipsis' },
    command: { command: 'hangar.loadMoreProjects', title: 'Load More Projects' },
  };
}

export interface TierPick {
  tierId: string;
  label: string;
  description: string;
  detail: string;
}

/** Tiers for the create-project picker: retired ones hidden, the default first. */
export function tierPicks(tiers: Tier[]): TierPick[] {
  return tiers
    .filter((t) => !t.retired)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.cpus - b.cpus || a.id.localeCompare(b.id))
    .map((t) => ({
      tierId: t.id,
      label: t.id,
      description: tierResources(t),
      detail: [
        t.isDefault ? 'Default tier' : '',
        t.hasDesktopAccess ? 'With desktop access (VNC)' : 'No desktop access',
        t.description,
      ].filter(Boolean).join(' · '),
    }));
}
