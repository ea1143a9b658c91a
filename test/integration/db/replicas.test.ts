// Two API replicas on one PostgreSQL database (issue #19, first step): they share users, tokens,
// tiers and projects, and the database (not a replica's memory) allows one operation per project:
// concurrent deploys through both replicas → one runs, the other answers 409. What A changes, B follows:
// B's agent proxy refuses an agent A stopped at once (its resolved target follows A's event), and the
// timeline read through B has each of A's operations exactly once (written where it happened).
// What replicas do NOT share yet (events, background jobs): docs/postgres-replicas.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ErrorBody, Operation, OperationList, Project, TimelinePage } from '../../../backend/contract';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { databaseUrlFor, requirePostgres, type Postgres } from '../../harness/postgres.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('replicas: two API processes on one PostgreSQL', function () {
  this.timeout(90_000);
  let pg: Postgres | null;
  let dir: string;
  const apis: TestApi[] = [];

  before(async function () {
    pg = await requirePostgres({ log: () => {} });
    if (!pg) return this.skip();
    // One data dir for both: the same encryption key and local token, as replicas share a secret store.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-replicas-'));
    const env = { HANGAR_RUNTIME: 'local', HANGAR_DATABASE_URL: await databaseUrlFor(dir) };
    apis.push(await startTestApi(env, dir));
    apis.push(await startTestApi(env, dir));
  });
  after(async () => {
    for (const api of apis) await api.close();
    if (dir) {
      for (const s of scanProcesses(path.join(dir, 'projects'))) { try { process.kill(-s.pid, 'SIGKILL'); } catch { /* gone */ } }
      removeDataDir(dir);
    }
    await pg?.stop();
  });

  it('share one database: the second neither re-seeds nor creates another admin, and sees the first one\'s projects', async () => {
    const [a, b] = apis as [TestApi, TestApi];
    assert.equal(b.server.boot.createdAdmin, false);
    assert.equal(b.server.boot.seededTiers, false);
    const created = (await client(a.url, a.adminToken).post<Project>('/api/projects', { name: 'shared' })).body;
    const seen = (await client(b.url, b.adminToken).get<{ items: Project[] }>('/api/projects')).body.items;
    assert.deepEqual(seen.map((p) => p.id), [created.id]);
  });

  it('run one operation per project across replicas: concurrent deploys through both → one 202, the other 409', async () => {
    const [a, b] = apis as [TestApi, TestApi];
    const viaA = client(a.url, a.adminToken);
    const viaB = client(b.url, b.adminToken);
    const project = (await viaA.post<Project>('/api/projects', { name: 'contended' })).body;
    const replies = await Promise.all([viaA, viaB].map((c) => c.post<Operation | ErrorBody>(`/api/projects/${project.id}/deploy`, { force: false })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [202, 409]);
    const won = replies.find((r) => r.status === 202)!.body as Operation;
    const lost = replies.find((r) => r.status === 409)!.body as ErrorBody;
    assert.equal(lost.error.code, 'operation_in_progress');
    assert.deepEqual(lost.error.details, { operationId: won.id, kind: 'deploy' });
    // The other replica reads the operation's progress from the database.
    const done = await until('the deploy to finish', async () => {
      const op = (await viaB.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === won.id);
      return op && op.state !== 'queued' && op.state !== 'running' ? op : undefined;
    });
    assert.equal(done.state, 'succeeded', done.error ?? '');
    assert.equal((await viaB.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.length, 1, 'the refused deploy left no row');
  });

  it('B\'s proxy answers 409 for an agent A stopped, and B\'s timeline has A\'s deploy and stop once each', async () => {
    const [a, b] = apis as [TestApi, TestApi];
    const viaA = client(a.url, a.adminToken);
    const viaB = client(b.url, b.adminToken);
    const project = (await viaA.post<Project>('/api/projects', { name: 'followed' })).body;
    const finished = (opId: string) => until(`operation ${opId}`, async () => {
      const op = (await viaB.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((o) => o.id === opId);
      return op && op.state !== 'queued' && op.state !== 'running' ? op : undefined;
    }, 90_000);
    const deploy = (await viaA.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    assert.equal((await finished(deploy.id)).state, 'succeeded');

    // B resolves the agent once (and keeps it for 5 s unless an event about the project drops it).
    assert.equal((await viaB.get(`/api/projects/${project.id}/opencode/session`)).status, 200);
    const stop = (await viaA.post<Operation>(`/api/projects/${project.id}/stop`, {})).body;
    assert.equal((await finished(stop.id)).state, 'succeeded');
    const refused = await until('B to refuse the stopped agent', async () => {
      const res = await viaB.get<ErrorBody>(`/api/projects/${project.id}/opencode/session`);
      return res.status === 409 ? res.body : undefined;
    }, 2_000);
    assert.equal(refused.error.code, 'project_not_running');

    const kinds = async (via: typeof viaA) =>
      (await via.get<TimelinePage>(`/api/projects/${project.id}/timeline`)).body.items.map((e) => `${e.kind}:${e.outcome}`);
    await until('the stop on the timeline', async () => ((await kinds(viaB)).includes('stop:succeeded') ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 500)); // a second writer would have written by now
    assert.deepEqual(await kinds(viaB), ['stop:succeeded', 'deploy:succeeded']);
    assert.deepEqual(await kinds(viaA), await kinds(viaB));
  });
});
