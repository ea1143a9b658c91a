// Each project keeps the runtime it was deployed on: one API drives local and docker projects at once
// (a real dockerd from test/harness/dockerd.mjs, the test image, the real opencode), and switching
// HANGAR_RUNTIME only changes where new projects go: a local project can still be stopped, without orphans.
import assert from 'node:assert/strict';
import path from 'node:path';
import Docker from 'dockerode';
import type { ErrorBody, Operation, Project, RuntimeList } from '../../../backend/contract';
import { scanProcesses, isAlive } from '../../../backend/runtime/local/processes';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { projectContainers, removeEverything, settledOperation } from '../support/mixedRuntimeApi';

describe('runtimes: local and docker projects in one API, each on its own runtime (real dockerd, real opencode)', function () {
  this.timeout(180_000);
  let dockerEnv: Record<string, string> = {};
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi | undefined;
  let admin: ReturnType<typeof client>;
  let loc: Project;
  let dock: Project;

  const finished = (p: Project, op: Operation) => settledOperation(admin, p, op);
  const act = async (p: Project, what: 'deploy' | 'stop') => {
    const res = await admin.post<Operation>(`/api/projects/${p.id}/${what}`, what === 'deploy' ? { force: false } : undefined);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const done = await finished(p, res.body);
    assert.equal(done.state, 'succeeded', `${what} ${p.name}: ${done.error ?? ''}`);
  };
  const get = async (p: Project) => (await admin.get<Project>(`/api/projects/${p.id}`)).body;
  const localPids = (p: Project) => scanProcesses(path.join(api!.dataDir, 'projects')).filter((s) => s.projectId === p.id).map((s) => s.pid);
  const containers = (p: Project) => projectContainers(docker, p);

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    const { tag } = await ensureTestImage(dockerd.dockerHost);
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    // The API reads the docker runtime's variables with the rest of its configuration (backend/config.ts).
    dockerEnv = { DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2' };
    api = await startTestApi({ ...dockerEnv, HANGAR_RUNTIME: 'local', HANGAR_MODELS_URL: 'off' });
    admin = client(api.url, api.adminToken);
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      await removeEverything(api, admin, docker, [loc, dock]);
    } finally {
      await dockerd.stop();
    }
  });

  it('lists the runtimes it drives: local (the default) and docker available, coolify not configured and why', async () => {
    const { items } = (await admin.get<RuntimeList>('/api/runtimes')).body;
    const by = Object.fromEntries(items.map((r) => [r.name, r]));
    assert.deepEqual(by.local, { name: 'local', isDefault: true, available: true });
    assert.deepEqual(by.docker, { name: 'docker', isDefault: false, available: true });
    assert.equal(by.coolify?.available, false);
    assert.match(by.coolify?.problem ?? '', /coolify/i);
  });

  it('creates each project on the runtime asked for (default: HANGAR_RUNTIME), refusing one that is not available', async () => {
    loc = (await admin.post<Project>('/api/projects', { name: 'mix-local' })).body;
    dock = (await admin.post<Project>('/api/projects', { name: 'mix-docker', runtime: 'docker' })).body;
    assert.equal(loc.runtime, 'local');
    assert.equal(dock.runtime, 'docker');
    const refused = await admin.post<ErrorBody>('/api/projects', { name: 'mix-coolify', runtime: 'coolify' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'runtime_unavailable');
  });

  it('deploys both at once, each on its own runtime: a local process for one, a container for the other', async () => {
    await Promise.all([act(loc, 'deploy'), act(dock, 'deploy')]);
    assert.equal((await get(loc)).status, 'running');
    assert.equal((await get(dock)).status, 'running');
    assert.equal(localPids(loc).length, 1, 'the local project runs as a local opencode process');
    assert.equal(localPids(dock).length, 0, 'the docker project has no local process');
    assert.equal((await containers(dock)).filter((c) => c.State === 'running').length, 1, 'the docker project runs in a container');
    assert.equal((await containers(loc)).length, 0, 'the local project has no container');
  });

  it('after switching HANGAR_RUNTIME to docker, the local project is still driven locally: Stop works and leaves no orphan', async () => {
    const pids = localPids(loc);
    const dataDir = api!.dataDir;
    await api!.close();
    api = await startTestApi({ ...dockerEnv, HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off' }, dataDir);
    admin = client(api.url, api.adminToken);
    await api.server.reconciled.settled;
    assert.equal((await get(loc)).status, 'running', 'the local project was re-adopted, not called failed');
    assert.equal((await get(dock)).status, 'running');
    const defaults = (await admin.get<RuntimeList>('/api/runtimes')).body.items.filter((r) => r.isDefault).map((r) => r.name);
    assert.deepEqual(defaults, ['docker']);
    await act(loc, 'stop');
    const after = await get(loc);
    assert.equal(after.status, 'stopped', after.statusReason ?? '');
    assert.deepEqual(localPids(loc), [], 'no opencode of the local project is left');
    for (const pid of pids) assert.ok(!isAlive(pid), `pid ${pid} is gone`);
    await act(dock, 'stop');
    assert.equal((await get(dock)).status, 'stopped');
    assert.equal((await containers(dock)).filter((c) => c.State === 'running').length, 0);
    // New projects now go to docker.
    const next = (await admin.post<Project>('/api/projects', { name: 'mix-next' })).body;
    assert.equal(next.runtime, 'docker');
    await admin.del(`/api/projects/${next.id}?confirm=${next.slug}`);
  });
});
