import path from 'node:path';
import { loadConfig } from './config';
import { loadDockerConfig } from './runtime/docker/config';
import { dockerClient } from './runtime/docker/dockerDriver';
import { buildAgentImages, canPull, chooseRoute, DOCKERFILE_BASE_IMAGE, type ImageRoute } from './runtime/docker/images/imageBuild';
import { mediaDir } from './runtime/docker/images/mediaDir';
import { resolveOpencodeBinary } from './runtime/local/opencodeBinary';

/**
 * `hangar-api image build [--desktop] [--registry | --local]`: the agent images the docker runtime
 * runs, tagged as it expects (HANGAR_DOCKER_IMAGE / HANGAR_DOCKER_DESKTOP_IMAGE or the defaults), on
 * the engine at DOCKER_HOST. Without a flag: from the Dockerfiles when the engine can pull their base
 * image, else from this machine's own packages.
 */
export async function imageBuildCommand(o: { desktop: boolean; registry: boolean; local: boolean }, log: (line: string) => void): Promise<number> {
  if (o.registry && o.local) throw new Error('choose one of --registry and --local');
  const config = loadConfig();
  const docker = loadDockerConfig(config.runtimeEnv.docker);
  const engine = dockerClient(docker);
  await engine.ping().catch((err: Error) => {
    throw new Error(`cannot reach the Docker engine at ${docker.dockerHost} (${err.message}); start it or set DOCKER_HOST`);
  });
  const requested: ImageRoute | 'auto' = o.registry ? 'registry' : o.local ? 'local' : 'auto';
  if (requested === 'auto') log(`checking whether the engine can pull ${DOCKERFILE_BASE_IMAGE}…`);
  const { route, why } = await chooseRoute(requested, () => canPull(engine, DOCKERFILE_BASE_IMAGE, 60_000));
  log(`route: ${route === 'registry' ? 'the Dockerfiles in media/images' : "this machine's own packages (FROM scratch)"}, because ${why}`);
  const started = Date.now();
  const built = await buildAgentImages({
    docker: engine,
    media: mediaDir(),
    route,
    cliTag: docker.cliImage,
    desktopTag: docker.desktopImage,
    desktop: o.desktop,
    opencode: () => resolveOpencodeBinary(config.opencodeBin),
    wsPackage: () => path.dirname(require.resolve('ws/package.json')),
    node: process.execPath,
    log,
  });
  log(`built ${built.join(' and ')} in ${((Date.now() - started) / 1000).toFixed(0)} s; the docker runtime (HANGAR_RUNTIME=docker) uses ${built.length > 1 ? 'them' : 'it'}`);
  return 0;
}
