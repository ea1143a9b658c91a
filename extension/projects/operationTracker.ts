import type { HangarEvent, Operation, OperationState } from '../../backend/contract';
import type { Disposable } from '../core/ports';
import { realTimers, type Timers } from '../core/timers';

export const TERMINAL: ReadonlySet<OperationState> = new Set(['succeeded', 'failed', 'cancelled']);

export function isFinished(op: Operation): boolean {
  return TERMINAL.has(op.state);
}

/** The message a progress notification shows: the latest step, or what the operation waits for. */
export function progressMessage(op: Operation): string {
  const step = op.steps.at(-1)?.message;
  if (step) return step;
  return op.state === 'queued' ? 'queued…' : op.state === 'running' ? 'working…' : op.state;
}

const RANK: Record<OperationState, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 };

/**
 * Which of two copies of one operation is the later one. Copies arrive by three routes (the 202 answer,
 * events, a poll) in any order; the state only moves forward and steps only grow.
 */
export function laterOf(a: Operation, b: Operation): Operation {
  if (RANK[a.state] !== RANK[b.state]) return RANK[a.state] > RANK[b.state] ? a : b;
  return b.steps.length >= a.steps.length ? b : a;
}

export interface OperationTrackerDeps {
  /** The operation as the server has it now (GET /api/projects/:id/operations); undefined when gone. */
  fetchOperation(projectId: string, operationId: string): Promise<Operation | undefined>;
  timers?: Timers;
  /** Without an event for this long, ask the server (the event stream may be reconnecting). */
  pollAfterMs?: number;
  /** Operations remembered from events that nobody follows yet (a 202 can arrive after its events). */
  remember?: number;
  onLog?(message: string): void;
}

interface Follower {
  op: Operation;
  onUpdate(op: Operation): void;
  resolve(op: Operation): void;
  timer: unknown;
}

/**
 * Turns `operation.progress` / `operation.finished` events into updates for whoever started the
 * operation. Keeps the latest copy of recent operations so an event that beats the 202 answer is not
 * lost, and polls the server when events stop coming. No vscode here.
 */
export class OperationTracker implements Disposable {
  private readonly recent = new Map<string, Operation>();
  private readonly followers = new Map<string, Set<Follower>>();
  private readonly timers: Timers;
  private readonly pollAfterMs: number;
  private readonly remember: number;
  private readonly finishListeners = new Set<(op: Operation) => void>();

  constructor(private readonly deps: OperationTrackerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.pollAfterMs = deps.pollAfterMs ?? 5_000;
    this.remember = deps.remember ?? 100;
  }

  /** Feed every event of the stream; others are ignored. */
  onEvent(event: HangarEvent): void {
    if (event.type === 'operation.progress' || event.type === 'operation.finished') this.update(event.data.operation);
  }

  /** The latest copy seen of an operation, from any route. */
  latest(operationId: string): Operation | undefined {
    return this.recent.get(operationId);
  }

  /** Called once per operation that reaches a terminal state (whoever started it). */
  onDidFinish(listener: (op: Operation) => void): Disposable {
    this.finishListeners.add(listener);
    return { dispose: () => this.finishListeners.delete(listener) };
  }

  /**
   * Follows one operation: `onUpdate` gets every newer copy (at once if a newer one is already known);
   * `done` resolves with the terminal copy.
   */
  follow(op: Operation, onUpdate: (op: Operation) => void = () => undefined): { done: Promise<Operation>; dispose(): void } {
    let follower!: Follower;
    const done = new Promise<Operation>((resolve) => {
      follower = { op, onUpdate, resolve, timer: undefined };
    });
    const set = this.followers.get(op.id) ?? new Set<Follower>();
    this.followers.set(op.id, set);
    set.add(follower);
    const known = this.recent.get(op.id);
    this.update(known ? laterOf(op, known) : op);
    if (!isFinished(follower.op)) this.armPoll(follower);
    return { done, dispose: () => this.unfollow(follower) };
  }

  dispose(): void {
    for (const set of this.followers.values()) for (const f of set) this.unfollow(f);
    this.followers.clear();
    this.finishListeners.clear();
  }

  private update(incoming: Operation): void {
    const before = this.recent.get(incoming.id);
    const op = before ? laterOf(before, incoming) : incoming;
    this.recent.delete(op.id);
    this.recent.set(op.id, op); // re-insert: the map's order is the eviction order
    while (this.recent.size > this.remember) this.recent.delete(this.recent.keys().next().value as string);
    if (isFinished(op) && (!before || !isFinished(before))) for (const l of [...this.finishListeners]) l(op);
    for (const f of [...(this.followers.get(op.id) ?? [])]) {
      if (f.op !== op && laterOf(f.op, op) === op) {
        f.op = op;
        f.onUpdate(op);
      }
      if (isFinished(f.op)) {
        this.unfollow(f);
        f.resolve(f.op);
      } else {
        this.armPoll(f);
      }
    }
  }

  private armPoll(f: Follower): void {
    if (f.timer !== undefined) this.timers.clearTimeout(f.timer);
    f.timer = this.timers.setTimeout(() => {
      f.timer = undefined;
      void this.poll(f);
    }, this.pollAfterMs);
  }

  private async poll(f: Follower): Promise<void> {
    let fresh: Operation | undefined;
    try {
      fresh = await this.deps.fetchOperation(f.op.projectId, f.op.id);
    } catch (e) {
      this.deps.onLog?.(`could not poll operation ${f.op.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!this.followers.get(f.op.id)?.has(f)) return;
    // update() re-arms the poll while the operation runs, so a quiet operation keeps being polled.
    if (fresh) this.update(fresh);
    else this.armPoll(f);
  }

  private unfollow(f: Follower): void {
    if (f.timer !== undefined) this.timers.clearTimeout(f.timer);
    f.timer = undefined;
    const set = this.followers.get(f.op.id);
    set?.delete(f);
    if (set && set.size === 0) this.followers.delete(f.op.id);
  }
}
