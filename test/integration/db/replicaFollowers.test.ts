// Issue #19: what one replica keeps in memory follows changes made through another. Two replicas'
// SharedEventHubs on one PostgreSQL: the agent proxy's resolved targets (backend/opencode/upstream.ts)
// on replica B are dropped by a project.status that replica A published, so B's next proxied request
// reads the project again (a stopped agent is a 409 at once, not after the 5 s safety TTL). Observers
// (the timeline, sync's activity poll: they write) still run once, on the replica that published.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HangarEvent } from '../../../backend/contract';
import type { ProjectRow } from '../../../backend/db/schema';
import { SharedEventHub } from '../../../backend/events/sharedEventHub';
import type { Logger } from '../../../backend/logger';
import { AgentTargets } from '../../../backend/opencode/upstream';
import type { ProjectService } from '../../../backend/services/projects';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { until } from '../faults/support';
import { openHubs } from './replicaSupport';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => console.error(m) };

describe('replicas: caches follow events published by another replica', function () {
  this.timeout(60_000);
  let pg: Postgres | null;
  let dir: string;
  let hubs: SharedEventHub[] = [];
  let closeHubs: (() => Promise<void>) | undefined;

  before(async function () {
    pg = await requirePostgres({ log: () => {} });
    if (!pg) return this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-follow-'));
    // The backstop poll is slow: the change must arrive by NOTIFY.
    ({ hubs, close: closeHubs } = await openHubs(await databaseUrlFor(dir), 2, quiet, { pollMs: 60_000 }));
  });
  after(async () => {
    await closeHubs?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await pg?.stop();
  });

  it('drops replica B\'s proxy target when replica A publishes the project\'s status', async () => {
    const [a, b] = hubs as [SharedEventHub, SharedEventHub];
    // The project as the database has it (what ProjectService reads), and how often B read it.
    let row = { id: 'p1', owner_id: 'alice', status: 'running', status_reason: null,
      agent_url: 'http://127.0.0.1:4100', opencode_password_enc: 'sealed' } as ProjectRow;
    let reads = 0;
    const projects = {
      ownedRow: async () => { reads++; return { ...row }; },
      rowById: async () => ({ ...row }),
      secrets: async () => ({ opencodePassword: 'pw', webhookSecret: 'w' }),
    } as unknown as ProjectService;
    const targets = new AgentTargets(projects, b);
    assert.equal((await targets.forUser('alice', 'p1')).baseUrl, 'http://127.0.0.1:4100');
    await targets.forUser('alice', 'p1');
    assert.equal(reads, 1, 'cached');

    const followed: HangarEvent[] = [];
    b.follow((_u, e) => followed.push(e));
    row = { ...row, status: 'stopped', agent_url: null };
    a.publish('alice', 'project.status', { projectId: 'p1', status: 'stopped', reason: null });
    await a.flushed();
    await until('B to deliver A\'s event', () => (followed.some((e) => e.type === 'project.status') ? true : undefined), 10_000);
    await assert.rejects(targets.forUser('alice', 'p1'), { status: 409, code: 'project_not_running' });
    assert.equal(reads, 2, 'read again at once, not after the TTL');
  });

  it('tells observers (which write) on the publishing replica only, followers on every replica', async () => {
    const [a, b] = hubs as [SharedEventHub, SharedEventHub];
    const seen = { aObserved: 0, bObserved: 0, aFollowed: 0, bFollowed: 0 };
    const isOurs = (e: HangarEvent) => e.type === 'project.deleted' && e.data.id === 'observed-once';
    const off = [
      a.observe((_u, e) => { if (isOurs(e)) seen.aObserved++; }),
      b.observe((_u, e) => { if (isOurs(e)) seen.bObserved++; }),
      a.follow((_u, e) => { if (isOurs(e)) seen.aFollowed++; }),
      b.follow((_u, e) => { if (isOurs(e)) seen.bFollowed++; }),
    ];
    try {
      a.publish('alice', 'project.deleted', { id: 'observed-once' });
      await a.flushed();
      await until('both replicas to deliver it', () => (seen.aFollowed && seen.bFollowed ? true : undefined), 10_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(seen, { aObserved: 1, bObserved: 0, aFollowed: 1, bFollowed: 1 });
    } finally {
      for (const f of off) f();
    }
  });
});
