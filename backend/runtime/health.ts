import { abortError, sleep } from './timing';

/** opencode's health route; a request that arrives before "listening" hangs, hence the short timeouts. */
export const HEALTH_PATH = '/global/health';
export const PROBE_TIMEOUT_MS = 300;

export function basicAuth(password: string, user = 'opencode'): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

export type Probe = { ok: true; version: string } | { ok: false; why: string };

/** One GET /global/health with Basic auth and a per-request timeout. */
export async function probeHealth(agentUrl: string, password: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<Probe> {
  try {
    const res = await fetch(agentUrl.replace(/\/+$/, '') + HEALTH_PATH, {
      headers: { Authorization: basicAuth(password) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, why: `HTTP ${res.status}` };
    const body = JSON.parse(text) as { healthy?: boolean; version?: string };
    return body.healthy === true ? { ok: true, version: body.version ?? '?' } : { ok: false, why: 'healthy is not true' };
  } catch (err) {
    const e = err as Error;
    return { ok: false, why: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message };
  }
}

/**
 * Polls until opencode answers healthy. `check` runs between probes (every `checkEveryMs`) and
 * may throw to stop early, e.g. when the runtime says the process exited.
 */
export async function waitForHealthy(agentUrl: string, password: string, opts: {
  signal: AbortSignal; timeoutMs?: number; intervalMs?: number; check?: () => Promise<void>; checkEveryMs?: number;
}): Promise<{ version: string; ms: number }> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 60_000);
  let lastCheck = started;
  let last: Probe;
  for (;;) {
    if (opts.signal.aborted) throw abortError(opts.signal);
    last = await probeHealth(agentUrl, password);
    if (last.ok) return { version: last.version, ms: Date.now() - started };
    if (Date.now() > deadline) throw new Error(`opencode at ${agentUrl} did not become healthy within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s (last probe: ${last.why})`);
    if (opts.check && Date.now() - lastCheck >= (opts.checkEveryMs ?? 1000)) {
      lastCheck = Date.now();
      await opts.check();
    }
    await sleep(opts.intervalMs ?? 100, opts.signal);
  }
}
