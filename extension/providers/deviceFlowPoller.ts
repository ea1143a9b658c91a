import type { DeviceFlowStart, DeviceFlowStatus } from '../../backend/contract';

export interface DeviceFlowApi {
  deviceFlow(providerId: string, flowId: string): Promise<DeviceFlowStatus>;
  cancelDeviceFlow(providerId: string, flowId: string): Promise<DeviceFlowStatus>;
}

export const isOver = (s: DeviceFlowStatus['status']) => s !== 'pending' && s !== 'slow_down';

/**
 * Follows a device flow the API runs: reads its status every `pollMs` until it is over. Aborting
 * cancels the flow on the server too. Plain module (no vscode) so it is unit-tested.
 */
export async function followDeviceFlow(
  api: DeviceFlowApi, providerId: string, start: DeviceFlowStart,
  opts: {
    onStatus?: (s: DeviceFlowStatus) => void; signal?: AbortSignal; pollMs?: number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<DeviceFlowStatus> {
  const sleep = opts.sleep ?? defaultSleep;
  for (;;) {
    if (opts.signal?.aborted) {
      const s = await api.cancelDeviceFlow(providerId, start.flowId);
      opts.onStatus?.(s);
      return s;
    }
    const s = await api.deviceFlow(providerId, start.flowId);
    opts.onStatus?.(s);
    if (isOver(s.status)) return s;
    await sleep(opts.pollMs ?? 1000, opts.signal);
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** What the user reads when a device flow ends without a credential. */
export function deviceFlowOutcome(s: DeviceFlowStatus, providerName: string): { ok: boolean; message: string } {
  switch (s.status) {
    case 'complete':
      return { ok: true, message: `${providerName} is signed in${s.credential ? ` (${s.credential.hint})` : ''}.` };
    case 'cancelled': return { ok: false, message: `Signing in to ${providerName} was cancelled.` };
    default: return { ok: false, message: s.message ?? `Signing in to ${providerName} did not finish (${s.status}).` };
  }
}
