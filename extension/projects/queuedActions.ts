import { z } from 'zod';
import type { Operation } from '../../backend/contract';
import { newIdempotencyKey } from '../core/outbox/outboxIds';
import { isPassing } from '../core/outbox/passingFailure';
import { retryDelayMs } from '../core/outbox/retryDelay';
import type { Timers } from '../core/timers';

/** The container actions that are safe to replay later (issue #14): the API runs each key once. */
export type QueuedKind = 'start' | 'stop';

/**
 * One Start or Stop asked for while the server could not be reached. Its idempotency key is fixed when
 * it is queued: a replay after a lost answer gets the first answer back, never a second operation.
 */
export const QueuedAction = z.object({
  id: z.string().min(1),
  /** the server it is for: replayed only against that one */
  server: z.string().min(1),
  projectId: z.string().min(1),
  projectName: z.string(),
  kind: z.enum(['start', 'stop']),
  idempotencyKey: z.string().min(8).max(128),
  createdAt: z.number(),
  attempts: z.number().int().nonnegative(),
  /** the last passing failure (network, 5xx), shown in the row's tooltip */
  lastError: z.string().optional(),
});
export type QueuedAction = z.infer<typeof QueuedAction>;
export const QueuedActionList = z.array(QueuedAction);

/** How a queued action ended: carried out (the operation the API accepted) or refused for good. */
export type Settled =
  | { action: QueuedAction; operation: Operation }
  | { action: QueuedAction; error: string };

export interface QueuedActionsPorts {
  /** The server being talked to now (undefined: none); only its actions are sent. */
  server(): string | undefined;
  /** The server answers now (the event stream is open): the queue may drain. */
  online(): boolean;
  /** POST start|stop with the key; throws the ApiError the client throws. */
  send(action: QueuedAction): Promise<Operation>;
  /** Durable storage (VS Code's globalState in the extension); called after every change. */
  save(items: readonly QueuedAction[]): void;
  settled(result: Settled): void;
  timers: Timers;
  random?: () => number;
}

/** Retries of a passing failure are capped low: the server being back is also signalled by `drain()`. */
const RETRY_CAP_MS = 5_000;

/**
 * The outbox of Start/Stop actions (no vscode). An action queued offline waits here (durably), shown on
 * its project's row; it can be cancelled; when the server answers again it is sent by itself, oldest
 * first, exactly once: a passing failure (no answer, 5xx) keeps it queued and sends it again with the
 * same key; any other answer (the project was deleted, a conflict) ends it with the reason.
 */
export class QueuedActions {
  private list: QueuedAction[] = [];
  private draining: Promise<void> | undefined;
  private again = false;
  private retryTimer: unknown;
  private seq = 0;
  /** The action being sent now (it cannot be cancelled any more). */
  private inFlight: QueuedAction | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly ports: QueuedActionsPorts) {}

  get items(): readonly QueuedAction[] { return this.list; }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What the last run left (stored); anything that no longer fits the schema is dropped. */
  restore(stored: unknown): void {
    const parsed = QueuedActionList.safeParse(stored);
    this.list = parsed.success ? parsed.data : [];
    this.emit(false);
  }

  /** The project's queued action on the current server, if any. */
  forProject(projectId: string): QueuedAction | undefined {
    const server = this.ports.server();
    return this.list.find((a) => a.server === server && a.projectId === projectId);
  }

  /**
   * Queues Start or Stop of a project. One action per project: a new one replaces the one waiting
   * (Stop then Start while offline leaves only Start to do). `idempotencyKey`: the key of an attempt
   * whose answer was lost, so that its replay runs nothing twice; a new one otherwise.
   */
  add(project: { id: string; name: string }, kind: QueuedKind, idempotencyKey = newIdempotencyKey()): QueuedAction {
    const server = this.ports.server();
    if (!server) throw new Error('not connected to a server');
    const now = this.ports.timers.now();
    const action: QueuedAction = {
      id: `a${now.toString(36)}${(++this.seq).toString(36)}`, server, projectId: project.id, projectName: project.name,
      kind, idempotencyKey, createdAt: now, attempts: 0,
    };
    this.list = [...this.list.filter((a) => !(a.server === server && a.projectId === project.id)), action];
    this.emit();
    void this.drain();
    return action;
  }

  /** Cancels the project's queued action; false when there was none (or it is already on its way). */
  cancel(projectId: string): boolean {
    const action = this.forProject(projectId);
    if (!action || this.inFlight === action) return false;
    this.list = this.list.filter((a) => a !== action);
    this.emit();
    return true;
  }

  /** Sends the current server's actions in order, one at a time; resolves when the queue is idle. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.sendAll();
      } while (this.again);
    })().finally(() => { this.draining = undefined; });
    return this.draining;
  }

  /** Stops the retry timer (the extension deactivates; the items stay stored). */
  dispose(): void {
    if (this.retryTimer !== undefined) this.ports.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.listeners.clear();
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      const server = this.ports.server();
      if (!server || !this.ports.online()) return;
      const next = this.list.find((a) => a.server === server);
      if (!next) return;
      this.inFlight = next;
      try {
        const operation = await this.ports.send(next);
        this.remove(next);
        this.ports.settled({ action: next, operation });
      } catch (e) {
        if (isPassing(e)) {
          next.attempts++;
          next.lastError = e instanceof Error ? e.message : String(e);
          this.emit();
          this.retryLater(next.attempts);
          return;
        }
        this.remove(next);
        this.ports.settled({ action: next, error: e instanceof Error ? e.message : String(e) });
      } finally {
        this.inFlight = undefined;
      }
    }
  }

  private remove(action: QueuedAction): void {
    this.list = this.list.filter((a) => a !== action);
    this.emit();
  }

  private retryLater(attempts: number): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = this.ports.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, retryDelayMs(attempts, this.ports.random, 500, RETRY_CAP_MS));
  }

  private emit(save = true): void {
    if (save) this.ports.save(this.list);
    for (const l of [...this.listeners]) l();
  }
}

/** The row's note: "stop queued" (waiting for the server), with the last passing failure in the tooltip. */
export function queuedNote(action: QueuedAction): { description: string; tooltip: string } {
  const why = action.lastError ? ` The last attempt failed: ${action.lastError}.` : '';
  const verb = action.kind === 'stop' ? 'Stop' : 'Start';
  return {
    description: `${action.kind} queued`,
    tooltip: `$(clock) **${verb} queued:** sent by itself, once, as soon as the server answers.${why} `
      + 'Right-click → Cancel Queued Action to drop it.',
  };
}

/** Marks a project row whose Start/Stop is queued: the note, and `.queued` (the menus offer Cancel instead). */
export function withQueuedNote<R extends { description?: string; tooltip?: string; contextValue: string }>(
  row: R, action: QueuedAction | undefined,
): R {
  if (!action) return row;
  const note = queuedNote(action);
  return {
    ...row,
    description: row.description ? `${row.description} · ${note.description}` : note.description,
    tooltip: row.tooltip ? `${note.tooltip}\n\n${row.tooltip}` : note.tooltip,
    contextValue: `${row.contextValue}${QUEUED_MARKER}`,
  };
}

/** The last part of a row's contextValue while its Start/Stop is queued. */
export const QUEUED_MARKER = '.queued';
