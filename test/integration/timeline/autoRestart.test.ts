// Issue #15, the timeline: a crash that the runtime itself recovers from (docker's restart policy runs
// the container again) is a crash and then a restart, both by "system". A real dockerd, the test image,
// the real opencode in the container.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { Operation, Project, TimelinePage } from '../../../backend/contract';
import { LABEL_PROJECT } from '../../../backend/runtime/docker/containerSpec';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { until } from '../sync/support';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

describe('API: the timeline records the runtime\'s own restart after a crash (docker, issue #15)', function () {
  this.timeout(240_000);
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let project: Project | undefined;

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    const { tag } = await ensureTestImage(dockerd.dockerHost);
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    api = await startTestApi({
      DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2',
      HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off', HANGAR_STATUS_POLL_MS: '1000',
    });
    admin = client(api.url, api.adminToken);
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      if (project) await admin.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => undefined);
      if (project) {
        const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${project.id}`] } });
        for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
      await api?.close();
      if (api) removeDataDir(api.dataDir);
    } finally {
      await dockerd.stop();
    }
  });

  it('opencode killed inside the container: crash (system), then restart (system) once docker ran it again', async () => {
    project = (await admin.post<Project>('/api/projects', { name: 'auto-restart' })).body;
    const op = await admin.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false });
    assert.equal(op.status, 202, JSON.stringify(op.body));
    await until('running', async () => {
      const p = (await admin.get<Project>(`/api/projects/${project!.id}`)).body;
      if (p.status === 'failed') throw new Error(`deploy failed: ${p.statusReason}`);
      return p.status === 'running' ? p : undefined;
    });
    const [info] = await docker.listContainers({ filters: { label: [`${LABEL_PROJECT}=${project.id}`] } });
    assert.ok(info, 'the project\'s container runs');
    // Every process of the container's user but PID 1 (docker's init): opencode dies, init exits with it,
    // and the restart policy (unless-stopped) runs the container again. No Hangar operation is involved.
    const exec = await docker.getContainer(info.Id).exec({ Cmd: ['sh', '-c', 'kill -9 -1'], AttachStdout: true });
    await exec.start({ Detach: true });

    const timeline = async () => (await admin.get<TimelinePage>(`/api/projects/${project!.id}/timeline`)).body.items;
    const items = await until('the restart on the timeline', async () => {
      const all = await timeline();
      return all[0]?.kind === 'restart' ? all : undefined;
    }, 90_000);
    assert.deepEqual(items.slice(0, 3).map((e) => [e.kind, e.actor, e.outcome]), [
      ['restart', 'system', 'observed'], ['crash', 'system', 'observed'], ['deploy', 'user', 'succeeded'],
    ]);
    assert.equal(items[0]!.detail, 'the runtime ran it again after the crash');
    const [after] = await docker.listContainers({ filters: { label: [`${LABEL_PROJECT}=${project.id}`] } });
    assert.equal(after?.Id, info.Id, 'the same container, run again by docker');
  });
});
