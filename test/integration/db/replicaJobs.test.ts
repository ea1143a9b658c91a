// Background work runs once across API processes on one PostgreSQL (issue #19): each job
// (status monitor, GitHub sync poll, OAuth refresh, notification retries, event pruning) runs in
// the one replica holding its lease; notification retries are counted at a receiver that always
// fails: one request per recorded attempt. kill -9 of the holder → the other takes over in seconds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Project } from '../../../backend/contract';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { kill9, spawnApi, until, type ApiProcess } from '../faults/support';
import { jobsTaken } from './replicaSupport';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

const JOBS = ['status-monitor', 'github-sync-poll', 'oauth-refresh', 'notification-retries', 'event-pruning'];

describe('replicas: background jobs run once on PostgreSQL', function () {
  this.timeout(180_000);
  let postgres: Postgres | null;
  let dir: string;
  const apis: ApiProcess[] = [];
  let sql: pg.Client;
  let receiver: http.Server;
  const received: string[] = [];

  before(async function () {
    postgres = await requirePostgres({ log: () => {} });
    if (!postgres) return this.skip();
    receiver = http.createServer((req, res) => {
      received.push(String(req.headers['x-hangar-delivery']));
      req.resume();
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replica-jobs-'));
    const env = { HANGAR_DATABASE_URL: await databaseUrlFor(dir), HANGAR_NOTIFY_RETRY_MS: '300' };
    apis.push(await spawnApi(dir, env));
    apis.push(await spawnApi(dir, env));
    sql = new pg.Client({ connectionString: env.HANGAR_DATABASE_URL });
    await sql.connect();
  });
  after(async () => {
    await sql?.end().catch(() => {});
    for (const api of apis) await kill9(api.proc);
    receiver?.close();
    if (dir) removeDataDir(dir);
    await postgres?.stop();
  });

  it('each job runs in exactly one replica, and a notification is retried once per attempt; kill -9 of its holder → the other retries', async () => {
    const [a, b] = apis as [ApiProcess, ApiProcess];
    await until('every job to have a holder', async () => ((await sql.query('select name from job_leases')).rowCount === JOBS.length ? true : undefined), 15_000);
    const taken = [...jobsTaken(a), ...jobsTaken(b)].sort();
    assert.deepEqual(taken, [...JOBS].sort(), 'each job started once across the two replicas');
    const owners = (await sql.query<{ owner: string }>('select distinct owner from job_leases')).rows.map((r) => r.owner);
    assert.ok(owners.length >= 1 && owners.length <= 2);

    const port = (receiver.address() as AddressInfo).port;
    assert.equal((await a.http.call('PUT', '/api/notifications/webhook', { url: `http://127.0.0.1:${port}/hook`, kinds: ['done'] })).status, 200);
    const project = (await b.http.post<Project>('/api/projects', { name: 'notified' })).body;
    const userId = (await sql.query<{ owner_id: string }>('select owner_id from projects where id = $1', [project.id])).rows[0]!.owner_id;
    // A queued notification as the activity service writes it (the queue is the table): due now.
    const now = new Date().toISOString();
    await sql.query(`insert into notification_deliveries (id, user_id, kind, project_id, project_name, session_id, payload, status, status_code, attempts, error, next_attempt_at, created_at, updated_at)
      values ('dlv_1', $1, 'done', $2, 'notified', 'ses_1', '{"kind":"done"}', 'pending', null, 0, null, $3, $4, $4)`, [userId, project.id, Date.now(), now]);
    const attempts = async () => Number((await sql.query<{ attempts: number }>("select attempts from notification_deliveries where id = 'dlv_1'")).rows[0]!.attempts);
    // Retries after 300 ms, then 1.2 s: three attempts within seconds, then 4.8 s until the fourth.
    await until('three attempts', async () => ((await attempts()) >= 3 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(received.filter((d) => d === 'dlv_1').length, await attempts(), 'one request per attempt (no replica sent it twice)');

    const holder = jobsTaken(a).includes('notification-retries') ? a : b;
    const other = holder === a ? b : a;
    const before = await attempts();
    await kill9(holder.proc);
    const killedAt = Date.now();
    await until('the other replica to take the job', () => (jobsTaken(other).includes('notification-retries') ? true : undefined), 20_000);
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs < 12_000, `took over after ${tookMs} ms`);
    await until('the next attempt, by the other replica', async () => ((await attempts()) > before ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(received.filter((d) => d === 'dlv_1').length, await attempts());
    assert.deepEqual(jobsTaken(other).sort(), [...JOBS].sort(), 'the survivor runs every job now');
    if (process.env.HANGAR_REPORT_TIMINGS) console.log(`      kill -9 of the holder → job taken over in ${tookMs} ms`);
  });
});
