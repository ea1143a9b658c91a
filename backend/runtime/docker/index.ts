import type { EnvSection } from '../../config';
import type { DriverContext } from '../driver';
import { loadDockerConfig } from './config';
import { DockerDriver } from './dockerDriver';

export { DockerDriver, dockerClient } from './dockerDriver';
export { loadDockerConfig, DockerConfigError, type DockerConfig, DEFAULT_CLI_IMAGE, DEFAULT_DESKTOP_IMAGE } from './config';
export { DockerRuntimeError } from './dockerErrors';
export { waitForBridgeGateway, gatewayOf, BridgeGatewayError, type BridgeNetwork } from './bridgeGateway';

/**
 * For backend/runtime/registry.ts (`docker: dockerDriverFactory`). Parses DOCKER_HOST and
 * HANGAR_DOCKER_* (read once by backend/config.ts) when the docker runtime is selected; a bad value throws a one-line
 * DockerConfigError naming it, which createDriver() turns into the runtime's `problem`.
 * Building the driver does not contact the engine: an unreachable one fails each action with
 * a message saying how to start it.
 */
export function dockerDriverFactory(ctx: DriverContext, env: EnvSection = ctx.config.runtimeEnv.docker): DockerDriver {
  return new DockerDriver(loadDockerConfig(env));
}
