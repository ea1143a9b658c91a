/**
 * A failure that passes by itself: no answer at all (network, timeout), a server or agent error (5xx:
 * the agent restarting, the API behind a proxy that lost it), too many requests, or the same key still
 * running. Resending it with the same idempotency key is safe. Duck-typed on ApiError's fields.
 */
export function isPassing(e: unknown): boolean {
  const x = e as { status?: unknown; code?: unknown } | null;
  if (!x || typeof x.status !== 'number') return false;
  if (x.status === 0) return x.code === 'network_error' || x.code === 'timeout';
  return x.status >= 500 || x.status === 429 || x.code === 'idempotency_key_in_use';
}
