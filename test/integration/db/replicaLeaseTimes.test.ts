// The lease times of replicas on PostgreSQL come from HANGAR_LEASE_* (backend/leaseConfig.ts), not
// from constants: with a 300 ms renewal and 1.2 s leases, a job lease never reaches further than
// 1.2 s ahead, a dead replica's job moves within about a second and a half (the default 6 s lease
// cannot: its holder renewed at most 2 s before dying), and a dead replica's operation is failed
// once its heartbeat is 1.2 s old (by default it would stand for 6 s).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Project } from '../../../backend/contract';
import { REPLICA_DIED } from '../../../backend/services/operationLeases';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { kill9, until, type ApiProcess } from '../faults/support';
import { jobsTaken, startReplicas, type Replicas } from './replicaSupport';

const LEASE_MS = 1200;

describe('replicas: lease times from HANGAR_LEASE_*', function () {
  this.timeout(120_000);
  let postgres: Postgres | null;
  let dir: string;
  let replicas: Replicas | undefined;
  let apis: ApiProcess[];
  let sql: Replicas['sql'];

  before(async function () {
    postgres = await requirePostgres({ log: () => {} });
    if (!postgres) return this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-leases-'));
    const env = {
      HANGAR_DATABASE_URL: await databaseUrlFor(dir),
      HANGAR_LEASE_RENEW_MS: '300', HANGAR_LEASE_OPERATION_MS: String(LEASE_MS), HANGAR_LEASE_JOB_MS: String(LEASE_MS),
    };
    replicas = await startReplicas(dir, env);
    ({ apis, sql } = replicas);
  });
  after(async () => {
    await replicas?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await postgres?.stop();
  });

  it('job leases last HANGAR_LEASE_JOB_MS: none reaches further ahead, and a killed holder\'s job moves within ~1.5 s', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    await until('every job to have a holder', async () => ((await sql.query('select 1 from job_leases')).rowCount === 5 ? true : undefined), 15_000);
    for (let i = 0; i < 5; i++) {
      const { rows } = await sql.query<{ ahead: string }>(
        'select max(expires_at) - (extract(epoch from clock_timestamp()) * 1000)::bigint as ahead from job_leases');
      assert.ok(Number(rows[0]!.ahead) <= LEASE_MS, `a lease reaches ${rows[0]!.ahead} ms ahead`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const holder = jobsTaken(a).includes('status-monitor') ? a : b;
    const other = holder === a ? b : a;
    await kill9(holder.proc);
    const killedAt = Date.now();
    await until('the other replica to take the status monitor', () => (jobsTaken(other).includes('status-monitor') ? true : undefined), 20_000);
    const tookMs = Date.now() - killedAt;
    // 1.2 s lease + 0.3 s renewal, on a loaded machine; the default lease could not move before 4 s.
    assert.ok(tookMs < 3_500, `took over after ${tookMs} ms`);
  });

  it('fails a dead replica\'s operation once its heartbeat is HANGAR_LEASE_OPERATION_MS old', async () => {
    const live = apis.find((api) => api.proc.exitCode === null && api.proc.signalCode === null)!;
    const project = (await live.http.post<Project>('/api/projects', { name: 'orphaned' })).body;
    const owner = (await sql.query<{ owner_id: string }>('select owner_id from projects where id = $1', [project.id])).rows[0]!.owner_id;
    // An operation of a replica that died 2 s after its last heartbeat: dead under a 1.2 s lease, alive under 6 s.
    const beat = Date.now() - 2_000;
    await sql.query(`insert into operations (id, project_id, owner_id, kind, force, state, steps, cancellable, created_at, replica_id, heartbeat_at)
      values ('op_ghost', $1, $2, 'deploy', 0, 'running', '[]', 0, $3, 'ghost-replica', $4)`, [project.id, owner, new Date(beat).toISOString(), beat]);
    const failed = await until('the live replica to fail it', async () => {
      const row = (await sql.query<{ state: string; error: string | null }>("select state, error from operations where id = 'op_ghost'")).rows[0];
      return row?.state === 'failed' ? row : undefined;
    }, 3_000);
    assert.equal(failed.error, REPLICA_DIED);
  });
});
