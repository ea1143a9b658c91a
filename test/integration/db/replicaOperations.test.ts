// Operations across API processes on one PostgreSQL (issue #19): one per project whichever replica
// is asked; each replica renews the heartbeat of what it runs, so a replica that starts leaves the
// others' live operations alone, and the operation of a replica killed with SIGKILL is failed by
// another once its lease expires (seconds), the project then free for the next deploy. A cancel
// asked through another replica reaches the one running the operation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ErrorBody, Operation, OperationList, Project } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { REPLICA_DIED } from '../../../backend/services/operationLeases';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { kill9, spawnApi, until, type ApiProcess } from '../faults/support';
import { openEventStream } from '../support/sseReader';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const operation = async (api: ApiProcess, projectId: string, id: string) =>
  (await api.http.get<OperationList>(`/api/projects/${projectId}/operations`)).body.items.find((o) => o.id === id);

describe('replicas: operations across API processes on PostgreSQL', function () {
  this.timeout(180_000);
  let postgres: Postgres | null;
  let dir: string;
  let url: string;
  const apis: ApiProcess[] = [];
  let sql: pg.Client;

  before(async function () {
    postgres = await requirePostgres({ log: () => {} });
    if (!postgres) return this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-ops-'));
    url = await databaseUrlFor(dir);
    apis.push(await spawnApi(dir, { HANGAR_DATABASE_URL: url }));
    apis.push(await spawnApi(dir, { HANGAR_DATABASE_URL: url }));
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end().catch(() => {});
    for (const api of apis) await kill9(api.proc);
    if (dir) {
      for (const s of scanProcesses(path.join(dir, 'projects'))) { try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ } }
      removeDataDir(dir);
    }
    await postgres?.stop();
  });

  it('concurrent deploys of one project through both processes: one 202, the other 409 operation_in_progress', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const project = (await a.http.post<Project>('/api/projects', { name: 'contended' })).body;
    const replies = await Promise.all([a, b].map((api) => api.http.post<Operation | ErrorBody>(`/api/projects/${project.id}/deploy`, { force: false })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [202, 409]);
    const won = replies.find((r) => r.status === 202)!.body as Operation;
    assert.equal((replies.find((r) => r.status === 409)!.body as ErrorBody).error.code, 'operation_in_progress');
    const done = await until('the deploy to finish', async () => {
      const op = await operation(b, project.id, won.id);
      return op && op.state !== 'queued' && op.state !== 'running' ? op : undefined;
    });
    assert.equal(done.state, 'succeeded', done.error ?? '');
  });

  it('a replica that starts leaves a live replica\'s operation open, and fails it once its heartbeat stops', async () => {
    const [a] = apis as [ApiProcess];
    const project = (await a.http.post<Project>('/api/projects', { name: 'leased' })).body;
    // The row a replica that is alive elsewhere writes (its heartbeat is renewed below): no process here runs it.
    const opId = 'op_live_elsewhere';
    const owner = (await sql.query<{ owner_id: string }>('select owner_id from projects where id = $1', [project.id])).rows[0]!.owner_id;
    await sql.query(`insert into operations (id, project_id, owner_id, kind, force, state, steps, error, cancellable, created_at, started_at, finished_at, replica_id, heartbeat_at)
      values ($1, $2, $3, 'deploy', 0, 'running', '[]', null, 1, $4, $4, null, 'replica_elsewhere', $5)`, [opId, project.id, owner, new Date().toISOString(), Date.now()]);
    const beat = setInterval(() => void sql.query('update operations set heartbeat_at = $1 where id = $2', [Date.now(), opId]).catch(() => {}), 500);
    let c: ApiProcess | undefined;
    try {
      c = await spawnApi(dir, { HANGAR_DATABASE_URL: url });
      await new Promise((r) => setTimeout(r, 3000)); // more than a renewal period of every replica
      assert.equal((await operation(c, project.id, opId))?.state, 'running', 'a replica start-up failed a live operation');
      const refused = await c.http.post<ErrorBody>(`/api/projects/${project.id}/deploy`, { force: false });
      assert.equal(refused.status, 409);
      assert.deepEqual(refused.body.error.details, { operationId: opId, kind: 'deploy' });
    } finally {
      clearInterval(beat);
      if (c) await kill9(c.proc);
    }
    const stoppedAt = Date.now();
    const failed = await until('a replica to fail the orphaned operation', async () => {
      const op = await operation(a, project.id, opId);
      return op?.state === 'failed' ? op : undefined;
    }, 30_000);
    const tookMs = Date.now() - stoppedAt;
    assert.equal(failed.error, REPLICA_DIED);
    assert.ok(tookMs < 15_000, `took ${tookMs} ms`);
    if (process.env.HANGAR_REPORT_TIMINGS) console.log(`      heartbeat stopped → failed in ${tookMs} ms`);
  });

  it('cancels through the other replica: the one running the deploy aborts it at its next renewal', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    // The running replica sees the cancel at its next renewal (every 2 s); a local deploy on a quiet machine
    // can finish first (about 1.5 s). Each try is a new deploy; one of them must end cancelled.
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 6 && !outcomes.includes('cancelled'); attempt++) {
      const project = (await a.http.post<Project>('/api/projects', { name: `cancelled-elsewhere-${attempt}` })).body;
      const started = await a.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false });
      assert.equal(started.status, 202);
      const cancel = await b.http.post<Operation>(`/api/projects/${project.id}/operations/${started.body.id}/cancel`);
      if (cancel.status === 409) { outcomes.push('finished before the cancel'); continue; }
      assert.equal(cancel.status, 202, JSON.stringify(cancel.body));
      const done = await until('the deploy to end', async () => {
        const op = await operation(b, project.id, started.body.id);
        return op && op.state !== 'queued' && op.state !== 'running' ? op : undefined;
      });
      outcomes.push(done.state);
      if (done.state === 'cancelled') assert.match(done.error ?? '', /cancelled by the user/);
      else assert.equal(done.state, 'succeeded', done.error ?? '');
    }
    assert.ok(outcomes.includes('cancelled'), `no deploy was cancelled through the other replica: ${outcomes.join(', ')}`);
  });

  it('kill -9 of the replica running a deploy: the other fails it within seconds, tells the owner, and the project deploys again', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    const project = (await b.http.post<Project>('/api/projects', { name: 'orphaned' })).body;
    const watching = await openEventStream(b.url, b.token);
    try {
      await watching.waitFor((f) => f.comment === 'connected');
      const started = await a.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false });
      assert.equal(started.status, 202);
      await kill9(a.proc);
      const killedAt = Date.now();
      const finished = await watching.waitFor((f) => f.event === 'operation.finished' && f.data!.includes(started.body.id), 30_000);
      const tookMs = Date.now() - killedAt;
      const op = (JSON.parse(finished.data!) as { data: { operation: Operation } }).data.operation;
      // A deploy spawns opencode and waits for its health (seconds): the kill lands while it runs.
      assert.equal(op.state, 'failed');
      assert.equal(op.error, REPLICA_DIED);
      assert.ok(tookMs < 15_000, `reconciled after ${tookMs} ms`);
      if (process.env.HANGAR_REPORT_TIMINGS) console.log(`      kill -9 → failed by the other replica in ${tookMs} ms`);
      const again = await b.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: true });
      assert.equal(again.status, 202, JSON.stringify(again.body));
      const done = await until('the new deploy to finish', async () => {
        const o = await operation(b, project.id, again.body.id);
        return o && o.state !== 'queued' && o.state !== 'running' ? o : undefined;
      });
      assert.equal(done.state, 'succeeded', done.error ?? '');
    } finally {
      await watching.close();
    }
  });
});
