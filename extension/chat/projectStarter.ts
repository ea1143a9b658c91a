// Starts a stopped project because a prompt was sent to it, and waits until it runs; without
// vscode. The project's status comes from the store (kept current by the API's event stream).
import type { ProjectStatus } from '../../backend/contract';
import type { Disposable } from '../core/ports';

export interface StarterPort {
  status(): ProjectStatus | undefined;
  /** Fires whenever the store changed (the status may have). */
  onChange(listener: () => void): Disposable;
  start(): Promise<unknown>;
  deploy(): Promise<unknown>;
}

/** How long a start may take before the chat gives up waiting (the operation itself goes on). */
export const START_TIMEOUT_MS = 5 * 60_000;

const FAILED: ReadonlySet<ProjectStatus> = new Set(['failed', 'crashed']);

/** Resolves once the project runs; rejects with a sentence (what happened, what to do) otherwise. */
export async function startAndWait(port: StarterPort, signal: AbortSignal, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const initial = port.status();
  if (initial === undefined) throw new Error('The project is gone: it may have been deleted.');
  if (initial === 'running') return;
  if (initial === 'stopping') throw new Error('The project is stopping: send again once it has stopped.');
  // Listen before acting: the status events may arrive before the action's answer.
  let sawProgress = initial === 'starting' || initial === 'deploying';
  const done = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      const s = port.status();
      if (s === 'starting' || s === 'deploying') sawProgress = true;
      if (s === 'running') finish();
      else if (s === undefined) finish(new Error('The project was deleted while it was starting.'));
      else if (sawProgress && (FAILED.has(s) || s === 'stopped')) finish(new Error(`It is ${s} instead of running: see Hangar: Show Container Logs.`));
    };
    const timer = setTimeout(() => finish(new Error(`It did not start within ${Math.round(timeoutMs / 60_000)} minutes: see Hangar: Show Container Logs.`)), timeoutMs);
    const sub = port.onChange(check);
    const onAbort = (): void => finish(new Error('Start cancelled.'));
    signal.addEventListener('abort', onAbort);
    function finish(e?: Error): void {
      clearTimeout(timer);
      sub.dispose();
      signal.removeEventListener('abort', onAbort);
      if (e) reject(e); else resolve();
    }
    if (signal.aborted) onAbort();
    check();
  });
  done.catch(() => undefined); // settled below; avoids an unhandled rejection while the action is sent
  if (!sawProgress) {
    try {
      if (initial === 'not_deployed' || initial === 'failed') await port.deploy(); else await port.start();
    } catch (e) {
      // Someone else started it meanwhile: wait for that.
      const code = (e as { code?: unknown }).code;
      if (code !== 'operation_in_progress') throw new Error(`The start was refused: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    sawProgress = true;
  }
  await done;
}
