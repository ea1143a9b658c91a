// The workspace file routes on the docker runtime: a real dockerd (test/harness/dockerd.mjs), the
// test image (no Node in it: the file program runs on opencode's own Bun), the real API.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { Operation, OperationList, Project } from '../../../backend/contract';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { until } from '../agent/support';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { fileRouteContract } from './fileContract';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('workspace files on the docker runtime (real dockerd, real opencode)', function () {
  this.timeout(180_000);
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi;
  let alice: ReturnType<typeof client>;
  let mallory: ReturnType<typeof client>;
  let project: Project;
  const savedEnv: Record<string, string | undefined> = {};

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    const { tag } = await ensureTestImage(dockerd.dockerHost);
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    // The docker driver's settings come through the API's configuration (like the activity suite's).
    const dockerEnv = { DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2' };
    for (const [k, v] of Object.entries(dockerEnv)) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    api = await startTestApi({ ...dockerEnv, HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off' });
    alice = client(api.url, api.adminToken);
    const { id: malloryId } = await api.server.services.users.createUser('mallory', 'user');
    mallory = client(api.url, (await api.server.services.users.createToken(malloryId, 't')).secret);
    project = (await alice.post<Project>('/api/projects', { name: 'files' })).body;
    const op = (await alice.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    const done = await until('the deploy', async () => {
      const o = (await alice.get<OperationList>(`/api/projects/${project.id}/operations`)).body.items.find((x) => x.id === op.id);
      return o && ['succeeded', 'failed', 'cancelled'].includes(o.state) ? o : undefined;
    }, 120_000);
    assert.equal(done.state, 'succeeded', done.error ?? '');
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      if (project) {
        await alice.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => undefined);
        const left = await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${project.id}`] } });
        for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
      await api?.close();
      if (api) removeDataDir(api.dataDir);
    } finally {
      for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      await dockerd.stop();
    }
  });

  fileRouteContract('docker', () => ({
    api, alice, mallory, projectId: project.id,
    exec: async (argv) => api.server.services.drivers.require('docker').exec(project.id, argv),
  }));

  it('docker: a file written through the API is owned by the agent\'s user in /workspace', async () => {
    const put = await alice.call('PUT', `/api/projects/${project.id}/files/content`, { path: 'owned.txt', content: Buffer.from('x').toString('base64') });
    assert.equal(put.status, 204);
    const ls = await api.server.services.drivers.require('docker').exec(project.id, ['stat', '-c', '%u %n', '/workspace/owned.txt']);
    assert.equal(ls.stdout.trim(), '1000 /workspace/owned.txt');
  });

  it('docker: a stopped container answers 409, not 500', async () => {
    await api.server.services.drivers.require('docker').stop(project.id, () => undefined);
    const res = await alice.get<{ error: { code: string } }>(`/api/projects/${project.id}/files/list`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'not_running');
  });
});
