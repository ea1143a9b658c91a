import type { DriverContext } from '../registry';
import { loadDockerConfig } from './config';
import { DockerDriver } from './dockerDriver';

export { DockerDriver, dockerClient } from './dockerDriver';
export { loadDockerConfig, DockerConfigError, type DockerConfig, DEFAULT_CLI_IMAGE, DEFAULT_DESKTOP_IMAGE } from './config';
export { DockerRuntimeError } from './dockerErrors';
export { waitForBridgeGateway, gatewayOf, BridgeGatewayError, type BridgeNetwork } from './bridgeGateway';

/**
 * For backend/runtime/registry.ts (`docker: dockerDriverFactory`). Reads DOCKER_HOST and
 * HANGAR_DOCKER_* when the docker runtime is selected; a bad value throws a one-line
 * DockerConfigError naming it, which createDriver() turns into the runtime's `problem`.
 * Building the driver does not contact the engine: an unreachable one fails each action with
 * a message saying how to start it.
 */
export function dockerDriverFactory(_ctx: DriverContext, env: NodeJS.ProcessEnv = process.env): DockerDriver {
  return new DockerDriver(loadDockerConfig(env));
}
