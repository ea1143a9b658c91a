import type { Project } from '../../backend/contract';
import type { ConnectionState } from '../connection/connectionState';
import type { HangarStore } from './hangarStore';
import type { Disposable } from './ports';

/** What changed on the server, to a project this window knew, while it could not see the server. */
export type GapConflict =
  | { kind: 'deleted'; project: Project }
  | { kind: 'tierChanged'; project: Project; from: string; to: string }
  | { kind: 'runtimeChanged'; project: Project; from: string; to: string };

export interface GapWatchPorts {
  store: HangarStore;
  state(): ConnectionState;
  /** Whether the server says the project no longer exists (404); false when it exists or cannot tell. */
  isGone(projectId: string): Promise<boolean>;
  now(): number;
}

/**
 * Issue #14, stale state: after a gap (the server out of reach, or a window opened offline from the
 * offline copy), the first full fetch is compared with what the window showed before the gap. A project
 * deleted meanwhile, or moved to another tier or runtime, is reported (the views say so) instead of
 * being silently replaced. The baseline is taken when the gap starts (or from the offline copy a window
 * opened offline shows), so events replayed on reconnecting do not hide a change.
 */
export class GapWatch implements Disposable {
  private baseline: Map<string, Project> | undefined;
  private inGap = false;
  /** When the gap began: a fetch finished after it is the server's word, one from before is the old copy. */
  private gapStartedAt = 0;
  private readonly listeners = new Set<(conflicts: GapConflict[]) => void>();
  private readonly subscription: Disposable;

  constructor(private readonly ports: GapWatchPorts) {
    this.subscription = ports.store.onDidChange(() => this.storeChanged());
  }

  onDidFind(listener: (conflicts: GapConflict[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Called by the session on every state change. */
  stateChanged(before: ConnectionState, after: ConnectionState): void {
    const ended = after.kind === 'disconnected' || after.kind === 'unauthorised';
    if (ended || (after.kind === 'connecting' && !after.reconnecting)) {
      this.reset();
      return;
    }
    if (after.kind === 'connected') {
      this.maybeCompare();
      return;
    }
    if (!this.inGap && (before.kind === 'connected' || after.kind === 'offline')) {
      this.inGap = true;
      this.gapStartedAt = this.ports.now();
      this.takeBaseline();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  private storeChanged(): void {
    if (!this.inGap) return;
    if (this.ports.state().kind === 'connected') {
      this.maybeCompare();
      return;
    }
    // A window opened offline: the copy the views show from the offline store is the baseline.
    if (!this.baseline?.size && !this.fresh()) this.takeBaseline();
  }

  private fresh(): boolean {
    const load = this.ports.store.projectsLoad;
    return load.kind === 'loaded' && load.at > this.gapStartedAt;
  }

  /** Connected, with a fetch made after the gap began: compare it with the baseline, once. */
  private maybeCompare(): void {
    if (!this.inGap || !this.fresh()) return;
    const baseline = this.baseline;
    this.reset();
    if (baseline?.size) void this.compare(baseline);
  }

  private async compare(baseline: Map<string, Project>): Promise<void> {
    const { store } = this.ports;
    const conflicts: GapConflict[] = [];
    for (const before of baseline.values()) {
      const now = store.project(before.id);
      if (!now) {
        // Not in the first page is not gone: only the server's 404 says so.
        if (await this.ports.isGone(before.id)) conflicts.push({ kind: 'deleted', project: before });
        continue;
      }
      if (now.tierId !== before.tierId) {
        conflicts.push({ kind: 'tierChanged', project: now, from: before.tierId, to: now.tierId });
      }
      if (now.runtime !== before.runtime) {
        conflicts.push({ kind: 'runtimeChanged', project: now, from: before.runtime, to: now.runtime });
      }
    }
    if (conflicts.length === 0) return;
    for (const l of [...this.listeners]) l(conflicts);
  }

  private takeBaseline(): void {
    const projects = this.ports.store.projects;
    this.baseline = projects.length ? new Map(projects.map((p) => [p.id, p])) : undefined;
  }

  private reset(): void {
    this.inGap = false;
    this.baseline = undefined;
  }
}

/** One line naming what changed, for the notification. */
export function conflictText(c: GapConflict): string {
  switch (c.kind) {
    case 'deleted': return `"${c.project.name}" was deleted`;
    case 'tierChanged': return `"${c.project.name}" moved from tier ${c.from} to ${c.to}`;
    case 'runtimeChanged': return `"${c.project.name}" moved from the ${c.from} runtime to ${c.to}`;
  }
}
