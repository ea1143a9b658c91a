import type { Services } from '../compositionRoot';
import { SharedEventHub } from '../events/sharedEventHub';
import { BackgroundJobs, periodicJob } from './backgroundJobs';
import { JobLeases } from './jobLeases';

const PRUNE_EVENTS_MS = 60_000;

/**
 * The API's background work, each run by one replica (backgroundJobs.ts): on PostgreSQL under a
 * lease per job in the shared database, on SQLite (one process) all here.
 */
export function createBackgroundJobs(s: Pick<Services, 'config' | 'db' | 'log' | 'hub' | 'leases' | 'monitor' | 'sync' | 'oauth' | 'notifications'>): BackgroundJobs {
  const shared = s.config.database.kind === 'postgres';
  const { renewMs, jobMs } = s.config.leases;
  const jobs = new BackgroundJobs(shared ? new JobLeases(s.db, s.leases.replicaId, jobMs) : undefined, s.log, renewMs);
  // Status reconciliation: the runtime's pushes (docker events, child exits) and the backstop poll.
  jobs.add('status-monitor', s.monitor);
  jobs.add('github-sync-poll', s.sync);
  jobs.add('oauth-refresh', s.oauth.refresher);
  // A notification queued by another replica is picked up at the next renewal (the table is the queue).
  const n = s.notifications;
  jobs.add('notification-retries', { start: () => n.start(), stop: () => n.stop(), tick: () => n.kick() });
  const hub = s.hub;
  if (hub instanceof SharedEventHub) jobs.add('event-pruning', periodicJob(PRUNE_EVENTS_MS, () => hub.prune(), s.log, 'event-pruning'));
  return jobs;
}
