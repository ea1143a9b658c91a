import { z } from 'zod';

/**
 * How replicas on one database share work (issue #19): every `renewMs` a replica renews the heartbeat
 * of the operations it runs and the leases of the background jobs it holds (status reconciliation and
 * runtime event watchers, credential refresh, notification retries, sync polling, event pruning). An
 * operation whose heartbeat is older than `operationMs` belongs to a dead replica and is failed; a job
 * lease not renewed for `jobMs` is taken over by another replica. Shorter: faster takeover, more writes.
 */
export interface LeaseTimes { renewMs: number; operationMs: number; jobMs: number }

export const DEFAULT_LEASE_TIMES: LeaseTimes = { renewMs: 2000, operationMs: 6000, jobMs: 6000 };

const ms = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The HANGAR_LEASE_* variables, spread into the API's environment schema (backend/config.ts). */
export const leaseEnvShape = {
  HANGAR_LEASE_RENEW_MS: ms(100, 60_000, DEFAULT_LEASE_TIMES.renewMs),
  HANGAR_LEASE_OPERATION_MS: ms(300, 600_000, DEFAULT_LEASE_TIMES.operationMs),
  HANGAR_LEASE_JOB_MS: ms(300, 600_000, DEFAULT_LEASE_TIMES.jobMs),
};

type LeaseEnv = { [K in keyof typeof leaseEnvShape]: number };

/**
 * The lease times, or why they do not work together: a lease must outlast two renewal periods, or one
 * renewal a little late (a busy event loop, a slow query) hands a live replica's work to another.
 */
export function leaseTimesFrom(e: LeaseEnv): LeaseTimes | string {
  const times = {
    renewMs: e.HANGAR_LEASE_RENEW_MS, operationMs: e.HANGAR_LEASE_OPERATION_MS, jobMs: e.HANGAR_LEASE_JOB_MS,
  };
  const leases = [['HANGAR_LEASE_OPERATION_MS', times.operationMs], ['HANGAR_LEASE_JOB_MS', times.jobMs]] as const;
  for (const [name, value] of leases) {
    if (value < 2 * times.renewMs) {
      return `${name}=${value} is invalid: a lease must last at least twice HANGAR_LEASE_RENEW_MS (${times.renewMs})`;
    }
  }
  return times;
}
