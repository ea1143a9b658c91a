// The same scenarios with the workspace inside a container on a real dockerd (test/harness/dockerd.mjs):
// git runs in the container through the driver's exec and reaches the loopback GitHub on the host
// through docker's bridge gateway (the fake listens there too; its certificate names that address).
import Docker from 'dockerode';
import { waitForBridgeGateway } from '../../../backend/runtime/docker/bridgeGateway';
import { requireDockerd } from '../../harness/dockerd.mjs';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { describeSyncScenarios } from './scenarios';

describeSyncScenarios('docker', async () => {
  const dockerd = await requireDockerd();
  if (!dockerd) return null; // only outside CI: under CI=true requireDockerd throws instead
  const image = (await ensureTestImage(dockerd.dockerHost)).tag;
  const docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
  // Waits (bounded) for a freshly started dockerd to report it; throws a clear error, never undefined.
  const gateway = await waitForBridgeGateway(() => docker.getNetwork('bridge').inspect());
  return {
    env: { HANGAR_RUNTIME: 'docker', DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: image, HANGAR_DOCKER_STOP_TIMEOUT: '5' },
    gitHost: gateway,
    cleanup: () => dockerd.stop(),
  };
});
