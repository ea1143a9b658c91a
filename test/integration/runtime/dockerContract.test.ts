// The shared RuntimeDriver contract, run against the docker driver with a real dockerd and the
// real opencode inside the test image (built FROM scratch out of this machine's binaries).
import Docker from 'dockerode';
import { loadDockerConfig } from '../../../backend/runtime/docker/config';
import { DockerDriver, dockerClient } from '../../../backend/runtime/docker/dockerDriver';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { describeDriverContract } from './driverContract';

let dockerd: Dockerd | null = null;
let docker: Docker | undefined;

describeDriverContract('docker (real dockerd, real opencode)', async () => {
  dockerd = await requireDockerd();
  if (!dockerd) throw new Error('dockerd cannot run here; install docker.io (test/harness/setup-debian.sh)');
  const image = (await ensureTestImage(dockerd.dockerHost)).tag;
  const config = loadDockerConfig({ DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: image, HANGAR_DOCKER_STOP_TIMEOUT: '5' });
  docker = dockerClient(config);
  return new DockerDriver(config);
}, {
  sameInstanceOnRestart: true,
  timeoutMs: 120_000,
  crash: async (projectId) => {
    const [c] = await docker!.listContainers({ filters: { label: [`dev.hangar.project=${projectId}`] } });
    if (!c) throw new Error(`no running container for project ${projectId}`);
    await docker!.getContainer(c.Id).kill();
  },
});

after(async function () {
  this.timeout(60_000);
  await dockerd?.stop();
});
