import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import type { LocalDriver } from '../../../backend/runtime/local/localDriver';
import { projectPaths } from '../../../backend/runtime/local/paths';
import { readRecord, scanProcesses } from '../../../backend/runtime/local/processes';
import { BINDING_FILE } from '../../../backend/runtime/local/warmPool';
import { until } from '../agent/support';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

// The local warm pool through the real API and real opencode in bubblewrap: a first deploy claims a
// pooled agent, the pool refills, nothing of one claim reaches the next, and size 0 is the cold path.

type Http = ReturnType<typeof client>;

async function deploy(http: Http, api: TestApi, projectId: string): Promise<Operation> {
  const op = (await http.post<Operation>(`/api/projects/${projectId}/deploy`, { force: false })).body;
  await api.server.services.operations.settled(projectId);
  const done = (await http.get<OperationList>(`/api/projects/${projectId}/operations`)).body.items.find((o) => o.id === op.id)!;
  assert.equal(done.state, 'succeeded', `deploy ${done.state}: ${done.error ?? ''}\n${done.steps.map((s) => s.message).join('\n')}`);
  return done;
}

const claimed = (op: Operation) => op.steps.some((s) => /Claimed a warm agent from the pool/.test(s.message));
const basic = (password: string) => ({ Authorization: 'Basic ' + Buffer.from(`opencode:${password}`).toString('base64') });

async function close(api: TestApi): Promise<void> {
  await api.close();
  for (const root of ['projects', 'pool']) for (const s of scanProcesses(path.join(api.dataDir, root))) process.kill(-s.pid, 'SIGKILL');
  removeDataDir(api.dataDir);
}

describe('local warm pool (real opencode, HANGAR_WARM_POOL_LOCAL=1)', function () {
  this.timeout(180_000);
  let api: TestApi;
  let http: Http;
  let driver: LocalDriver;
  const ready = () => until('a ready pooled agent', () => (driver.pool!.stats().ready === 1 ? true : undefined), 90_000);

  before(async () => {
    api = await startTestApi({ HANGAR_RUNTIME: 'local', HANGAR_WARM_POOL_LOCAL: '1' });
    http = client(api.url, api.adminToken);
    driver = api.server.services.drivers.get('local') as LocalDriver;
  });
  after(() => close(api));

  it('a first deploy claims the pooled agent with the project\'s files and password; it keeps its sessions across stop/start; the pool refills', async () => {
    await ready();
    const pooledPid = driver.pool!.stats().pids[0]!;
    const project = (await http.post<Project>('/api/projects', { name: 'warm one' })).body;
    const p = projectPaths(path.join(api.dataDir, 'projects'), project.id);
    fs.mkdirSync(p.workspace, { recursive: true });
    fs.writeFileSync(path.join(p.workspace, 'README.md'), 'the project\'s own file\n');
    const before = (await api.server.services.projects.secrets(project.id)).opencodePassword;

    const op = await deploy(http, api, project.id);
    assert.ok(claimed(op), op.steps.map((s) => s.message).join('\n'));
    assert.equal(readRecord(p.runtimeFile)?.pid, pooledPid, 'the project runs the agent that was pooled');
    const row = (await http.get<Project>(`/api/projects/${project.id}`)).body;
    assert.equal(row.status, 'running');
    const password = (await api.server.services.projects.secrets(project.id)).opencodePassword;
    assert.notEqual(password, before, 'the project adopted the pooled agent\'s password');
    assert.equal((await fetch(`${row.urls.agent}/global/health`, { headers: basic(password) })).status, 200);
    assert.equal((await fetch(`${row.urls.agent}/global/health`, { headers: basic(before) })).status, 401);
    const binding = JSON.parse(fs.readFileSync(path.join(p.configDir, BINDING_FILE), 'utf8')) as { projectId: string; secret: string };
    assert.equal(binding.projectId, project.id);
    assert.equal((fs.statSync(path.join(p.configDir, BINDING_FILE)).mode & 0o777).toString(8), '600');
    // The agent sees the project's files (its workspace is the pooled one, now the project's folder).
    const read = await http.get<{ content: string }>(`/api/projects/${project.id}/opencode/file/content?path=README.md`);
    assert.equal(read.status, 200);
    assert.match(JSON.stringify(read.body), /the project's own file/);
    const session = await http.post<{ id: string }>(`/api/projects/${project.id}/opencode/session`, { title: 'kept' });
    assert.equal(session.status, 200);

    await until('the refilled pool', () => (driver.pool!.stats().ready === 1 && driver.pool!.stats().pids[0] !== pooledPid ? true : undefined), 90_000);

    // A later start is cold, from the moved folders, with the adopted password.
    assert.equal((await http.post(`/api/projects/${project.id}/stop`)).status, 202);
    await api.server.services.operations.settled(project.id);
    assert.equal((await http.post(`/api/projects/${project.id}/start`)).status, 202);
    await api.server.services.operations.settled(project.id);
    assert.equal((await http.get<Project>(`/api/projects/${project.id}`)).body.status, 'running');
    const sessions = await http.get<{ id: string }[]>(`/api/projects/${project.id}/opencode/session`);
    assert.ok(sessions.body.some((s) => s.id === session.body.id), 'the session survives a cold restart');
  });

  it('nothing of a previous claim reaches the next: sessions, files, config, env and password are gone', async () => {
    await ready();
    const a = (await http.post<Project>('/api/projects', { name: 'claim a' })).body;
    assert.ok(claimed(await deploy(http, api, a.id)));
    const aUrl = (await http.get<Project>(`/api/projects/${a.id}`)).body.urls.agent!;
    const aSecrets = await api.server.services.projects.secrets(a.id);
    const aBase = `/api/projects/${a.id}/opencode`;
    assert.equal((await http.post(`${aBase}/session`, { title: 'secret of a' })).status, 200);
    assert.equal((await driver.exec(a.id, ['sh', '-c', 'echo a-was-here > a.txt'])).exitCode, 0);
    const patched = await fetch(`${aUrl}/global/config`, { method: 'PATCH', headers: { ...basic(aSecrets.opencodePassword), 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'marker-of-a' }) });
    assert.equal(patched.status, 200);
    const aPid = readRecord(projectPaths(path.join(api.dataDir, 'projects'), a.id).runtimeFile)!.pid!;
    assert.equal((await http.del(`/api/projects/${a.id}?deleteVolumes=true&confirm=${a.slug}`)).status < 300, true);

    await ready();
    const b = (await http.post<Project>('/api/projects', { name: 'claim b' })).body;
    assert.ok(claimed(await deploy(http, api, b.id)));
    const bPaths = projectPaths(path.join(api.dataDir, 'projects'), b.id);
    const bPid = readRecord(bPaths.runtimeFile)!.pid!;
    assert.notEqual(bPid, aPid, 'a claimed agent is never given to another project');
    const bBase = `/api/projects/${b.id}/opencode`;
    assert.deepEqual((await http.get<unknown[]>(`${bBase}/session`)).body, [], 'no session of a');
    assert.ok(!fs.existsSync(path.join(bPaths.workspace, 'a.txt')), 'no file of a');
    const config = (await http.get<{ username?: string }>(`${bBase}/config`)).body;
    assert.notEqual(config.username, 'marker-of-a', 'no config of a');
    const bUrl = (await http.get<Project>(`/api/projects/${b.id}`)).body.urls.agent!;
    assert.equal((await fetch(`${bUrl}/global/health`, { headers: basic(aSecrets.opencodePassword) })).status, 401, 'a\'s password opens nothing');
    const environ = fs.readFileSync(`/proc/${bPid}/environ`, 'utf8');
    for (const secret of [aSecrets.opencodePassword, aSecrets.webhookSecret, a.id]) assert.ok(!environ.includes(secret), 'nothing of a in the environment');
    const binding = fs.readFileSync(path.join(bPaths.configDir, BINDING_FILE), 'utf8');
    assert.ok(binding.includes(b.id) && !binding.includes(a.id) && !binding.includes(aSecrets.webhookSecret));
  });
});

describe('local warm pool off (HANGAR_WARM_POOL_LOCAL unset), then sized through the API', function () {
  this.timeout(240_000);
  it('deploys cold, as before; PUT /api/runtimes/local/warm-pool starts and stops pooled agents, validated, admin only, kept across a restart', async () => {
    let api = await startTestApi({ HANGAR_RUNTIME: 'local' });
    try {
      const http = client(api.url, api.adminToken);
      let driver = api.server.services.drivers.get('local') as LocalDriver;
      assert.equal(driver.pool, undefined);
      const project = (await http.post<Project>('/api/projects', { name: 'cold' })).body;
      const before = (await api.server.services.projects.secrets(project.id)).opencodePassword;
      const op = await deploy(http, api, project.id);
      assert.ok(!claimed(op));
      assert.ok(op.steps.some((s) => /Started opencode \(pid/.test(s.message)), 'a cold start');
      assert.equal((await api.server.services.projects.secrets(project.id)).opencodePassword, before);
      assert.equal(fs.existsSync(path.join(api.dataDir, 'pool')), false);

      // The setting: validated, admin only, docker has no pool here.
      assert.deepEqual((await http.get('/api/runtimes/local/warm-pool')).body, { runtime: 'local', size: 0, ready: 0, starting: 0 });
      for (const bad of [{ size: -1 }, { size: 33 }, { size: 1.5 }, { size: '1' }, { size: 1, extra: true }, {}]) {
        const r = await http.call<{ error: { code: string } }>('PUT', '/api/runtimes/local/warm-pool', bad);
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.equal(r.body.error.code, 'validation_failed');
      }
      assert.equal((await http.call('PUT', '/api/runtimes/nowhere/warm-pool', { size: 1 })).status, 400);
      const docker = await http.call<{ error: { code: string } }>('PUT', '/api/runtimes/docker/warm-pool', { size: 1 });
      assert.deepEqual([docker.status, docker.body.error.code], [409, 'runtime_unavailable']);
      const { id: bobId } = await api.server.services.users.createUser('bob', 'user');
      const bob = client(api.url, (await api.server.services.users.createToken(bobId, 't')).secret);
      assert.equal((await bob.call('PUT', '/api/runtimes/local/warm-pool', { size: 1 })).status, 403);

      const set = await http.call<{ size: number }>('PUT', '/api/runtimes/local/warm-pool', { size: 1 });
      assert.deepEqual([set.status, set.body.size], [200, 1]);
      await until('a ready pooled agent', async () => ((await http.get<{ ready: number }>('/api/runtimes/local/warm-pool')).body.ready === 1 ? true : undefined), 90_000);
      const pooled = driver.pool!.stats().pids[0]!;
      assert.equal((await http.call<{ ready: number }>('PUT', '/api/runtimes/local/warm-pool', { size: 0 })).body.ready, 0);
      assert.equal(fs.existsSync(`/proc/${pooled}`), false, 'size 0 stops the unclaimed agent');

      // Kept across a restart of the API: the stored size wins over the (unset) variable; a claimed agent runs on.
      assert.equal((await http.call('PUT', '/api/runtimes/local/warm-pool', { size: 1 })).status, 200);
      await until('a ready pooled agent', () => (driver.pool!.stats().ready === 1 ? true : undefined), 90_000);
      const warm = (await http.post<Project>('/api/projects', { name: 'warm' })).body;
      assert.ok(claimed(await deploy(http, api, warm.id)));
      const warmPid = readRecord(projectPaths(path.join(api.dataDir, 'projects'), warm.id).runtimeFile)!.pid!;
      const dataDir = api.dataDir;
      await api.close();
      api = await startTestApi({ HANGAR_RUNTIME: 'local' }, dataDir);
      driver = api.server.services.drivers.get('local') as LocalDriver;
      assert.equal(driver.pool?.size, 1);
      await until('a ready pooled agent after the restart', () => (driver.pool!.stats().ready === 1 ? true : undefined), 90_000);
      assert.ok(fs.existsSync(`/proc/${warmPid}`), 'the restart left the claimed agent running');
      assert.equal((await driver.status(warm.id)).state, 'running');
      assert.equal(scanProcesses(path.join(dataDir, 'pool')).filter((p) => p.pid !== warmPid).length, 1, 'one new pooled agent, besides the claimed one');
    } finally {
      await close(api);
    }
  });
});
