import type { HangarEvent, Project, ProjectStatus, Tier } from '../../backend/contract';

export type LoadState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'loaded'; at: number }
  | { kind: 'error'; message: string };

export interface Snapshot {
  projects: Project[];
  tiers: Tier[];
}

type Listener = () => void;

const NAME_ORDER = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The in-memory copy of the server's projects and tiers. Filled by a full fetch, then kept fresh by
 * events. Events that arrive while a fetch is in flight are held and replayed on top of its result,
 * so a fetch answered before an event never erases it.
 */
export class HangarStore {
  private readonly projectMap = new Map<string, Project>();
  private readonly tierMap = new Map<string, Tier>();
  private held: HangarEvent[] | undefined;
  /** Bumped whenever a project's status changes by a server's word (event or fetch). */
  private readonly statusVersions = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  projectsLoad: LoadState = { kind: 'idle' };
  tiersLoad: LoadState = { kind: 'idle' };

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Projects by name (case-insensitive, numbers by value: "scale 2" before "scale 10"), then id, so the tree order is stable. */
  get projects(): Project[] {
    return [...this.projectMap.values()].sort((a, b) => NAME_ORDER.compare(a.name, b.name) || a.id.localeCompare(b.id));
  }

  /** The default tier first, then by CPU and memory, then id. */
  get tiers(): Tier[] {
    return [...this.tierMap.values()].sort((a, b) =>
      Number(b.isDefault) - Number(a.isDefault) || a.cpus - b.cpus || a.id.localeCompare(b.id));
  }

  project(id: string): Project | undefined { return this.projectMap.get(id); }
  tier(id: string): Tier | undefined { return this.tierMap.get(id); }

  beginLoad(): void {
    this.held ??= [];
    this.projectsLoad = { kind: 'loading' };
    this.tiersLoad = { kind: 'loading' };
    this.emit();
  }

  /** A fetch finished; each part is either its data or the error message that replaced it. */
  finishLoad(result: { projects: Project[] | { error: string }; tiers: Tier[] | { error: string } }, now: number): void {
    if (Array.isArray(result.projects)) {
      for (const p of result.projects) this.noteStatus(p.id, p.status, p.statusReason);
      replace(this.projectMap, result.projects);
      this.projectsLoad = { kind: 'loaded', at: now };
    } else {
      this.projectsLoad = { kind: 'error', message: result.projects.error };
    }
    if (Array.isArray(result.tiers)) {
      replace(this.tierMap, result.tiers);
      this.tiersLoad = { kind: 'loaded', at: now };
    } else {
      this.tiersLoad = { kind: 'error', message: result.tiers.error };
    }
    const held = this.held ?? [];
    this.held = undefined;
    for (const e of held) this.applyOne(e);
    this.emit();
  }

  /** Applies one event; returns true when the caller must refetch everything (resync). */
  apply(event: HangarEvent): boolean {
    if (event.type === 'resync') return true;
    if (this.held) {
      this.held.push(event);
      return false;
    }
    if (this.applyOne(event)) this.emit();
    return false;
  }

  /** A change this window made itself (POST/DELETE answer); the matching event will confirm it. */
  upsertProject(project: Project): void {
    const current = this.projectMap.get(project.id);
    if (current && current.updatedAt > project.updatedAt) return;
    this.projectMap.set(project.id, project);
    this.emit();
  }

  /** Counts the server's status changes of a project: lets an optimistic update know it came too late. */
  statusVersion(id: string): number {
    return this.statusVersions.get(id) ?? 0;
  }

  /**
   * Shows a transitional status at once when the server accepted an operation (its event follows). Skipped
   * when the server already reported a status change since `sinceVersion` (its events beat the 202 answer).
   */
  showTransitional(id: string, status: ProjectStatus, sinceVersion: number): boolean {
    const current = this.projectMap.get(id);
    if (!current || this.statusVersion(id) !== sinceVersion || current.status === status) return false;
    this.projectMap.set(id, { ...current, status, statusReason: null });
    this.emit();
    return true;
  }

  /** Another page of projects (Load more); a project an event already brought stays as the newer of the two. */
  addProjects(projects: Project[]): void {
    for (const p of projects) {
      const current = this.projectMap.get(p.id);
      if (current && current.updatedAt > p.updatedAt) continue;
      this.noteStatus(p.id, p.status, p.statusReason);
      this.projectMap.set(p.id, p);
    }
    if (projects.length) this.emit();
  }

  removeProject(id: string): void {
    if (this.projectMap.delete(id)) this.emit();
  }

  clear(): void {
    this.projectMap.clear();
    this.tierMap.clear();
    this.held = undefined;
    this.projectsLoad = { kind: 'idle' };
    this.tiersLoad = { kind: 'idle' };
    this.emit();
  }

  snapshot(): Snapshot {
    return { projects: this.projects, tiers: this.tiers };
  }

  private applyOne(event: HangarEvent): boolean {
    switch (event.type) {
      case 'project.created':
      case 'project.updated': {
        const incoming = event.data.project;
        const current = this.projectMap.get(incoming.id);
        // An event older than what a fetch already returned must not roll the project back.
        if (current && current.updatedAt > incoming.updatedAt) return false;
        this.noteStatus(incoming.id, incoming.status, incoming.statusReason);
        this.projectMap.set(incoming.id, incoming);
        return true;
      }
      case 'project.deleted':
        return this.projectMap.delete(event.data.id);
      case 'tier.changed': {
        const tier = event.data.tier;
        if (tier.isDefault) {
          // Only one default tier exists; the event for the old default may never come.
          for (const [id, t] of this.tierMap) if (t.isDefault && id !== tier.id) this.tierMap.set(id, { ...t, isDefault: false });
        }
        this.tierMap.set(tier.id, tier);
        return true;
      }
      case 'project.status': {
        const current = this.projectMap.get(event.data.projectId);
        if (!current) return false;
        this.statusVersions.set(current.id, this.statusVersion(current.id) + 1);
        this.projectMap.set(current.id, { ...current, status: event.data.status, statusReason: event.data.reason });
        return true;
      }
      case 'operation.progress':
      case 'operation.finished':
        // Operations are followed by the command that started them, not stored here.
        return false;
      case 'provider.changed':
        // The Providers view has its own data (providersFeature.ts), fed from session.onDidReceiveEvent.
        return false;
      case 'agent.config':
        // The chat panel of that project reloads its model list (chatPanel.ts); the row follows project.updated.
        return false;
      case 'workspace.changed':
        // The `hangar:` file system turns it into file change events (extension/agentFiles).
        return false;
      case 'sync.status':
      case 'sync.result':
        // GitHub sync has its own model, fed from session.onDidReceiveEvent.
        return false;
      case 'activity.updated':
      case 'notification.created':
        // Activity has its own model (activityModel.ts), fed from session.onDidReceiveEvent.
        return false;
      case 'resync':
        return false;
    }
  }

  private noteStatus(id: string, status: ProjectStatus, reason: string | null): void {
    const current = this.projectMap.get(id);
    if (!current || current.status !== status || current.statusReason !== reason) this.statusVersions.set(id, this.statusVersion(id) + 1);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

function replace<T extends { id: string }>(map: Map<string, T>, items: T[]): void {
  map.clear();
  for (const item of items) map.set(item.id, item);
}
