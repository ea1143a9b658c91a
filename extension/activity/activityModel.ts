import type { ActivityNotification, ActivitySession, HangarEvent } from '../../backend/contract';

type Listener = () => void;

export const sessionKey = (projectId: string, sessionId: string): string => `${projectId}/${sessionId}`;

/**
 * The Activity view's data: sessions across projects (filled by GET /api/activity, kept fresh by
 * activity.updated) and the badge, which counts sessions that finished, failed or need approval
 * since the user last looked at the view. No vscode here.
 */
export class ActivityModel {
  private readonly map = new Map<string, ActivitySession>();
  private readonly unseen = new Set<string>();
  private visible = false;
  private readonly listeners = new Set<Listener>();
  /** Events that arrived while a fetch was in flight, replayed on top of its answer. */
  private held: ActivitySession[] | undefined;

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Most recently changed first (ties: project, then session id, so the order is stable). */
  get sessions(): ActivitySession[] {
    return [...this.map.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)
      || a.projectId.localeCompare(b.projectId) || a.sessionId.localeCompare(b.sessionId));
  }

  get badgeCount(): number {
    return this.unseen.size;
  }

  session(projectId: string, sessionId: string): ActivitySession | undefined {
    return this.map.get(sessionKey(projectId, sessionId));
  }

  beginLoad(): void {
    this.held ??= [];
  }

  /** A full fetch answered: it replaces what we had; events held meanwhile are applied on top. */
  finishLoad(items: ActivitySession[]): void {
    this.map.clear();
    for (const s of items) this.map.set(sessionKey(s.projectId, s.sessionId), s);
    const held = this.held ?? [];
    this.held = undefined;
    for (const s of held) this.upsert(s);
    this.emit();
  }

  /** A fetch failed: stop holding events. */
  abortLoad(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const s of held) this.upsert(s);
    this.emit();
  }

  /** Applies one server event; returns the notification to show, if it is one. */
  apply(event: HangarEvent): ActivityNotification | undefined {
    if (event.type === 'activity.updated') {
      const s = event.data.session;
      if (this.held) this.held.push(s);
      else if (this.upsert(s)) this.emit();
      return undefined;
    }
    if (event.type === 'notification.created') {
      if (!this.visible) {
        const before = this.unseen.size;
        this.unseen.add(sessionKey(event.data.projectId, event.data.sessionId));
        if (this.unseen.size !== before) this.emit();
      }
      return event.data;
    }
    if (event.type === 'project.deleted') {
      let changed = false;
      for (const [k, s] of this.map) {
        if (s.projectId !== event.data.id) continue;
        this.map.delete(k);
        this.unseen.delete(k);
        changed = true;
      }
      if (changed) this.emit();
    }
    return undefined;
  }

  /** The view became visible (the user looks: the badge clears) or hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.unseen.size) {
      this.unseen.clear();
      this.emit();
    }
  }

  clear(): void {
    this.map.clear();
    this.unseen.clear();
    this.held = undefined;
    this.emit();
  }

  private upsert(s: ActivitySession): boolean {
    const key = sessionKey(s.projectId, s.sessionId);
    const current = this.map.get(key);
    // An event older than the copy we have (a fetch answered after it) must not roll it back.
    if (current && current.updatedAt > s.updatedAt) return false;
    this.map.set(key, s);
    return true;
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** A project's agent at a glance (the Projects tree shows it next to the container state). */
export type AgentState = 'idle' | 'busy' | 'needs-approval' | 'error';

/**
 * From the project's sessions: any waiting for approval → needs-approval; else any running → busy;
 * else the most recently changed top-level session failed → error; else idle.
 */
export function agentStateOf(sessions: readonly ActivitySession[], projectId: string): AgentState {
  const mine = sessions.filter((s) => s.projectId === projectId);
  if (mine.some((s) => s.status === 'waiting_for_permission')) return 'needs-approval';
  if (mine.some((s) => s.status === 'running')) return 'busy';
  const latest = mine.filter((s) => !s.parentSessionId).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  return latest?.status === 'error' ? 'error' : 'idle';
}
