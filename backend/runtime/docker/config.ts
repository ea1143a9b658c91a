import { z } from 'zod';
import type { EnvSection } from '../../config';

/** An unset or empty variable both mean "use the default". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The docker runtime's part of the environment, parsed once with the rest of the config. */
const DockerEnv = z.object({
  DOCKER_HOST: optional(z.string().regex(/^(unix|tcp):\/\/.+/, 'unix:///path/to/docker.sock or tcp://host:port')),
  DOCKER_TLS_VERIFY: optional(z.string()),
  DOCKER_CERT_PATH: optional(z.string()),
  HANGAR_DOCKER_IMAGE: optional(z.string().min(1)),
  HANGAR_DOCKER_DESKTOP_IMAGE: optional(z.string().min(1)),
  HANGAR_DOCKER_NETWORK: optional(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a docker network name')),
  HANGAR_DOCKER_PIDS_LIMIT: optional(z.coerce.number().int().min(32).max(4_194_304)),
  HANGAR_DOCKER_STOP_TIMEOUT: optional(z.coerce.number().int().min(0).max(300)),
});

export interface DockerConfig {
  /** unix:// or tcp:// (with TLS when DOCKER_TLS_VERIFY is set); default unix:///var/run/docker.sock. */
  dockerHost: string;
  tls?: { certPath: string };
  cliImage: string;
  desktopImage: string;
  /** A user-defined bridge network the containers join (created when missing); default: docker's bridge. */
  network?: string;
  pidsLimit: number;
  /** Seconds `docker stop` waits before SIGKILL. */
  stopTimeoutSec: number;
}

export const DEFAULT_CLI_IMAGE = 'hangar/opencode-cli:1.18.33';
export const DEFAULT_DESKTOP_IMAGE = 'hangar/opencode-desktop:1.18.33';

export class DockerConfigError extends Error {
  override name = 'DockerConfigError';
}

export function loadDockerConfig(env: EnvSection): DockerConfig {
  const parsed = DockerEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new DockerConfigError(`${name}=${JSON.stringify(env[name] ?? '')} is invalid: ${issue?.message ?? 'bad value'}`);
  }
  const e = parsed.data;
  const tls = e.DOCKER_TLS_VERIFY && e.DOCKER_TLS_VERIFY !== '0';
  return {
    dockerHost: e.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
    ...(tls ? { tls: { certPath: e.DOCKER_CERT_PATH ?? `${env.HOME ?? ''}/.docker` } } : {}),
    cliImage: e.HANGAR_DOCKER_IMAGE ?? DEFAULT_CLI_IMAGE,
    desktopImage: e.HANGAR_DOCKER_DESKTOP_IMAGE ?? DEFAULT_DESKTOP_IMAGE,
    ...(e.HANGAR_DOCKER_NETWORK ? { network: e.HANGAR_DOCKER_NETWORK } : {}),
    pidsLimit: e.HANGAR_DOCKER_PIDS_LIMIT ?? 1024,
    stopTimeoutSec: e.HANGAR_DOCKER_STOP_TIMEOUT ?? 10,
  };
}
