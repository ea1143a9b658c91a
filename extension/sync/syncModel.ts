import type { HangarEvent, SyncResult, SyncStatus } from '../../backend/contract';
import type { Disposable } from '../core/ports';

/** Where the focus came from: the active chat panel or the Projects tree's selection. */
export type FocusSource = 'chat' | 'tree' | 'code';

export interface FinishedSync {
  projectId: string;
  operationId: string;
  result: SyncResult;
}

/**
 * Every project's last known sync status (fed by `sync.status` events and GETs), the finished results
 * (`sync.result`), and which project is focused. No vscode here: the status bar and the tree listen.
 */
export class SyncModel implements Disposable {
  private readonly statuses = new Map<string, SyncStatus>();
  private readonly results = new Map<string, FinishedSync>();
  private readonly resultWaiters = new Map<string, Set<(r: FinishedSync) => void>>();
  private readonly listeners = new Set<() => void>();
  private readonly resultListeners = new Set<(r: FinishedSync) => void>();
  private focusedId: string | undefined;
  private focusSourceValue: FocusSource | undefined;

  get focused(): string | undefined { return this.focusedId; }
  get focusSource(): FocusSource | undefined { return this.focusSourceValue; }

  status(projectId: string): SyncStatus | undefined { return this.statuses.get(projectId); }

  /** A copy of every known status, by project id (diagnostics and the probe). */
  all(): Record<string, SyncStatus> { return Object.fromEntries(this.statuses); }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Every finished fetch/push/pull of the user's projects, whoever started it. */
  onDidFinish(listener: (r: FinishedSync) => void): Disposable {
    this.resultListeners.add(listener);
    return { dispose: () => this.resultListeners.delete(listener) };
  }

  /** Returns true when the focus moved. */
  setFocus(projectId: string | undefined, source: FocusSource): boolean {
    if (this.focusedId === projectId) {
      this.focusSourceValue = source;
      return false;
    }
    this.focusedId = projectId;
    this.focusSourceValue = projectId ? source : undefined;
    this.emit();
    return true;
  }

  /** A status from GET /api/projects/:id/sync or an event. */
  set(status: SyncStatus): void {
    this.statuses.set(status.projectId, status);
    this.emit();
  }

  /** Feed every event of the stream; returns true when it changed something. */
  apply(event: HangarEvent): boolean {
    switch (event.type) {
      case 'sync.status':
        this.set(event.data.status);
        return true;
      case 'sync.result':
        this.noteResult(event.data);
        return true;
      case 'project.deleted':
        return this.remove(event.data.id);
      default:
        return false;
    }
  }

  /** The result of one operation: at once when known, else when its `sync.result` arrives. */
  result(operationId: string): FinishedSync | undefined {
    return this.results.get(operationId);
  }

  waitForResult(operationId: string): { done: Promise<FinishedSync>; dispose(): void } {
    const known = this.results.get(operationId);
    if (known) return { done: Promise.resolve(known), dispose: () => undefined };
    let waiter!: (r: FinishedSync) => void;
    const done = new Promise<FinishedSync>((resolve) => { waiter = resolve; });
    const set = this.resultWaiters.get(operationId) ?? new Set();
    set.add(waiter);
    this.resultWaiters.set(operationId, set);
    return {
      done,
      dispose: () => {
        set.delete(waiter);
        if (!set.size) this.resultWaiters.delete(operationId);
      },
    };
  }

  remove(projectId: string): boolean {
    const had = this.statuses.delete(projectId);
    const wasFocused = this.focusedId === projectId;
    if (wasFocused) {
      this.focusedId = undefined;
      this.focusSourceValue = undefined;
    }
    if (had || wasFocused) this.emit();
    return had || wasFocused;
  }

  clear(): void {
    this.statuses.clear();
    this.results.clear();
    this.emit();
  }

  dispose(): void {
    this.listeners.clear();
    this.resultListeners.clear();
    this.resultWaiters.clear();
  }

  private noteResult(r: FinishedSync): void {
    this.results.set(r.operationId, r);
    // Keep the recent ones only: a result matters to whoever follows its operation right now.
    while (this.results.size > 50) this.results.delete(this.results.keys().next().value as string);
    for (const w of [...(this.resultWaiters.get(r.operationId) ?? [])]) w(r);
    this.resultWaiters.delete(r.operationId);
    for (const l of [...this.resultListeners]) l(r);
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
