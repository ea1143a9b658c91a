// What the Project details panel shows, computed without vscode from the session's state, so every
// case (loading, offline, deleted, disconnected) is unit-tested in node.
import type { Project, Tier } from '../../backend/contract';
import type { ProjectLink, ProjectPanelState, ProjectView, TierView } from '../../webviews/protocol/project';
import type { ConnectionState } from '../connection/connectionState';
import type { LoadState } from '../core/hangarStore';

export function projectView(p: Project): ProjectView {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    status: p.status,
    statusReason: p.statusReason,
    tierId: p.tierId,
    providerOverride: p.providerOverride,
    repository: p.repository
      ? { url: p.repository.url, branch: p.repository.branch, sync: { enabled: p.repository.sync.enabled, direction: p.repository.sync.direction } }
      : null,
    runtime: p.runtime,
    urls: { agent: p.urls.agent, vnc: p.urls.vnc },
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function tierView(t: Tier): TierView {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    cpus: t.cpus,
    memory: t.memory,
    memoryReservation: t.memoryReservation,
    storageGb: t.storageGb,
    hasDesktopAccess: t.hasDesktopAccess,
    isDefault: t.isDefault,
    retired: t.retired,
  };
}

export interface PanelInputs {
  connection: ConnectionState;
  projectsLoad: LoadState;
  project: Project | undefined;
  tier: Tier | undefined;
  /** The name the panel last showed, for the "deleted" message. */
  knownName: string | undefined;
  /** The server answered 404 for this project. */
  notFound: boolean;
}

export function panelState(i: PanelInputs): ProjectPanelState {
  if (i.connection.kind === 'disconnected' || i.connection.kind === 'unauthorised') {
    return { kind: 'unavailable', message: i.connection.kind === 'unauthorised'
      ? 'The server refused the stored token. Connect again to see this project.'
      : 'Not connected to a Hangar server. Connect to see this project.' };
  }
  if (i.project) {
    return {
      kind: 'project',
      project: projectView(i.project),
      tier: i.tier ? tierView(i.tier) : null,
      offline: i.connection.kind === 'offline' ? `Offline: showing the last known state. ${i.connection.reason}`.trim() : null,
    };
  }
  // Missing from a complete list (or a 404) means deleted; a list still loading means wait.
  if (i.notFound || i.projectsLoad.kind === 'loaded') return { kind: 'deleted', name: i.knownName ?? 'This project' };
  if (i.projectsLoad.kind === 'error') return { kind: 'unavailable', message: `Could not load projects: ${i.projectsLoad.message}` };
  return { kind: 'loading' };
}

export function panelTitle(state: ProjectPanelState, knownName: string | undefined): string {
  switch (state.kind) {
    case 'project': return `Project: ${state.project.name}`;
    case 'deleted': return `Project: ${knownName ?? 'deleted'} (deleted)`;
    default: return knownName ? `Project: ${knownName}` : 'Project';
  }
}

/**
 * The absolute http(s) URL behind one of the project's links, or an error sentence. Relative URLs
 * are resolved against the server; other schemes (javascript:, file:) are refused.
 */
export function linkTarget(project: Project, link: ProjectLink, serverUrl: string | undefined): { url: string } | { error: string } {
  const raw = project.urls[link];
  const what = link === 'agent' ? 'agent' : 'desktop (VNC)';
  if (!raw) return { error: `The project has no ${what} URL yet: deploy it first.` };
  let url: URL;
  try {
    url = new URL(raw, serverUrl);
  } catch {
    return { error: `The project's ${what} URL is not valid: ${raw}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `Refusing to open a ${url.protocol} URL.` };
  return { url: url.toString() };
}
