import * as vscode from 'vscode';
import type { HangarSession } from '../core/hangarSession';
import type { Logger } from '../core/ports';
import { realTimers } from '../core/timers';
import { QueuedActions, type Settled } from './queuedActions';

/** Where the outbox of Start/Stop lives between windows: the extension's global state (no secrets in it). */
const STORAGE_KEY = 'queuedActions.v1';

/**
 * The Start/Stop outbox of the extension (thin: the logic is in queuedActions.ts): stored in the
 * global state, sent through the session's API client with each action's key, drained whenever the
 * session says the server answers. `settled` tells the user how each one ended.
 */
export function hostQueuedActions(
  context: vscode.ExtensionContext, session: HangarSession, log: Logger, settled: (s: Settled) => void,
): { queued: QueuedActions; disposables: vscode.Disposable[] } {
  const queued = new QueuedActions({
    server: () => session.serverUrl ?? (session.state.kind === 'disconnected' ? undefined : session.state.url),
    online: () => session.state.kind === 'connected',
    send: (a) => (a.kind === 'stop'
      ? session.api.stopProject(a.projectId, { idempotencyKey: a.idempotencyKey })
      : session.api.startProject(a.projectId, { idempotencyKey: a.idempotencyKey })),
    save: (items) => {
      context.globalState.update(STORAGE_KEY, items)
        .then(undefined, (e: unknown) => log.warn(`the queued actions could not be stored: ${String(e)}`));
    },
    settled: (s) => {
      log.info('operation' in s
        ? `queued ${s.action.kind} of ${s.action.projectId} sent: operation ${s.operation.id}`
        : `queued ${s.action.kind} of ${s.action.projectId} refused: ${s.error}`);
      settled(s);
    },
    timers: realTimers,
  });
  queued.restore(context.globalState.get(STORAGE_KEY));
  const drainIfOnline = () => { if (session.state.kind === 'connected') void queued.drain(); };
  const subscription = session.onDidChangeState(drainIfOnline);
  drainIfOnline();
  return { queued, disposables: [subscription, { dispose: () => queued.dispose() }] };
}
