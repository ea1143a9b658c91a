// Issue #15, the per-project timeline: a deploy, a push and a crash (the agent's process killed) are
// stored from the API's own events and listed newest first, with actor and outcome, a page at a time.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import type { ErrorBody, Operation, Project, SyncResult, TimelinePage } from '../../../backend/contract';
import { silentLogger } from '../../../backend/logger';
import { scanProcesses } from '../../../backend/runtime/local/processes';
import { TimelineService } from '../../../backend/timeline/timelineService';
import { startFakeGithub, type FakeGithub } from '../../fixtures/gitHttp/fakeGithub';
import { client } from '../support/apiServer';
import { finished, startSyncApi, syncAction, until, workspace, type SyncApi } from '../sync/support';
import { SECRET_MARKER } from '../../harness/secretsScan.mjs';

describe('API: a project\'s timeline (issue #15; local runtime, real opencode and git)', function () {
  this.timeout(240_000);
  const token = `ghp_${SECRET_MARKER}${crypto.randomBytes(18).toString('hex')}`;
  let fake: FakeGithub;
  let api: SyncApi;
  let project: Project;

  before(async function () {
    this.timeout(120_000);
    fake = await startFakeGithub({ token, hosts: ['127.0.0.1'] });
    fake.createRepo('acme/timeline', { 'README.md': '# timeline\n' });
    api = await startSyncApi({ HANGAR_RUNTIME: 'local' }, fake.caFile);
    const host = `127.0.0.1:${fake.port}`;
    const put = await api.http.call('PUT', '/api/github/credential', { token, host });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  });

  after(async function () {
    this.timeout(120_000);
    if (project) {
      await api.http.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}&ignoreUnsynced=true`)
        .catch(() => undefined);
    }
    for (const s of scanProcesses(path.join(api?.dataDir ?? '/nonexistent', 'projects'))) process.kill(-s.pid, 'SIGKILL');
    await api?.close();
    await fake?.close();
  });

  const timeline = (query = '') => api.http.get<TimelinePage>(`/api/projects/${project.id}/timeline${query}`);

  it('lists a deploy, a push and a crash with its reason, newest first, with actor and outcome', async () => {
    project = (await api.http.post<Project>('/api/projects', {
      name: 'timeline', repository: { url: fake.url('127.0.0.1', 'acme/timeline'), branch: 'main' },
    })).body;
    const deploy = await api.http.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false });
    assert.equal((await finished(api, project.id, deploy.body.id)).state, 'succeeded');
    const imported = await api.events.waitFor((f) => f.event === 'sync.result'
      && JSON.parse(f.data!).data.projectId === project.id, 120_000);
    assert.equal((JSON.parse(imported.data!).data.result as SyncResult).ok, true, imported.data);
    await until('the import to finish', async () => (api.server.services.operations.isBusy(project.id) ? undefined : true));

    await workspace(api, project.id).commit({ 'notes.txt': 'from the agent\n' }, 'Agent: notes');
    const pushed = await syncAction(api, project.id, 'push');
    assert.equal(pushed.op.state, 'succeeded', pushed.op.error ?? '');

    const [proc] = scanProcesses(path.join(api.dataDir, 'projects'));
    assert.ok(proc, 'the agent process runs');
    process.kill(-proc.pid, 'SIGKILL');
    const crash = await until('the crash on the timeline', async () => {
      const first = (await timeline()).body.items[0];
      return first?.kind === 'crash' ? first : undefined;
    }, 15_000);
    assert.deepEqual([crash.actor, crash.outcome], ['system', 'observed']);
    assert.match(crash.detail ?? '', /killed by SIGKILL|is gone/);

    const all = (await timeline()).body;
    assert.deepEqual(all.items.map((e) => [e.kind, e.actor, e.outcome]), [
      ['crash', 'system', 'observed'], ['push', 'user', 'succeeded'], ['import', 'user', 'succeeded'],
      ['deploy', 'user', 'succeeded'],
    ]);
    assert.equal(all.nextCursor, null);
    const times = all.items.map((e) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  });

  it('pages with ?limit and ?cursor, filters with ?kind, and validates the query', async () => {
    const first = (await timeline('?limit=2')).body;
    assert.deepEqual(first.items.map((e) => e.kind), ['crash', 'push']);
    assert.ok(first.nextCursor);
    const second = (await timeline(`?limit=2&cursor=${first.nextCursor}`)).body;
    assert.deepEqual(second.items.map((e) => e.kind), ['import', 'deploy']);
    assert.equal(second.nextCursor, null);
    const only = (await timeline('?kind=deploy,push')).body;
    assert.deepEqual(only.items.map((e) => e.kind), ['push', 'deploy']);
    for (const bad of ['?kind=reboot', '?cursor=nope', '?limit=0', '?limit=201']) {
      const res = await api.http.get<ErrorBody>(`/api/projects/${project.id}/timeline${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(typeof res.body.error.message, 'string');
    }
  });

  it('answers 404 for another user\'s project, and documents the route', async () => {
    const { id } = await api.server.services.users.createUser('mallory', 'user');
    const mallory = client(api.url, (await api.server.services.users.createToken(id, 't')).secret);
    const res = await mallory.get<ErrorBody>(`/api/projects/${project.id}/timeline`);
    assert.deepEqual([res.status, res.body.error.code], [404, 'not_found']);
    const doc = (await api.http.get<{ paths: Record<string, { get?: unknown }> }>('/api/openapi.json')).body;
    assert.ok(doc.paths['/api/projects/{id}/timeline']?.get, 'in the OpenAPI document');
  });

  it('keeps only the newest entries of each project (retention), and drops them with the project', async () => {
    const other = (await api.http.post<Project>('/api/projects', { name: 'kept' })).body;
    const { db, projects } = api.server.services;
    const kept = new TimelineService(db, projects, silentLogger, 3);
    for (let i = 0; i < 5; i++) {
      await kept.record({
        projectId: other.id, kind: 'restart', actor: 'user', outcome: 'succeeded', detail: `#${i}`, at: 1000 + i,
      });
    }
    const page = await kept.page(await ownerOf(other.id), other.id, { limit: 10 });
    assert.deepEqual(page.items.map((e) => e.detail), ['#4', '#3', '#2']);
    assert.equal((await timeline()).body.items.length, 4, 'another project\'s timeline is untouched');
    assert.equal((await api.http.del(`/api/projects/${other.id}`)).status, 204);
    const left = await db.selectFrom('project_timeline').select('id').where('project_id', '=', other.id).execute();
    assert.deepEqual(left, []);
  });

  async function ownerOf(projectId: string): Promise<string> {
    const row = await api.server.services.projects.rowById(projectId);
    return row!.owner_id;
  }
});
