import type { ErrorCode } from '../../contract';
import { HttpError } from '../../errors';

/** Errors of the docker runtime, with a message a person can act on (they reach the operation row). */
export class DockerRuntimeError extends HttpError {
  constructor(status: number, code: ErrorCode, message: string, cause?: unknown) {
    super(status, code, message, undefined, true);
    if (cause !== undefined) this.cause = cause;
    this.name = 'DockerRuntimeError';
  }
}

interface EngineError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE']);

export function engineMessage(err: unknown): string {
  const e = (err ?? {}) as EngineError;
  return e.json?.message ?? e.reason ?? e.message ?? String(err);
}

export const statusOf = (err: unknown) => (err as EngineError | undefined)?.statusCode;

export function unreachable(dockerHost: string, err: unknown): DockerRuntimeError {
  const code = (err as EngineError).code ?? 'error';
  return new DockerRuntimeError(503, 'docker_unavailable',
    `Docker is not reachable at ${dockerHost} (${code}). Start the Docker engine (\`sudo systemctl start docker\`, ` +
    'or `dockerd` by hand where there is no systemd) and point DOCKER_HOST at its socket, e.g. unix:///var/run/docker.sock.', err);
}

export function imageMissing(image: string, imageType: 'cli' | 'desktop'): DockerRuntimeError {
  const build = imageType === 'desktop'
    ? `docker build -t hangar/opencode-cli:1.18.33 -f media/images/cli/Dockerfile media && docker build -t ${image} media/images/desktop`
    : `docker build -t ${image} -f media/images/cli/Dockerfile media`;
  return new DockerRuntimeError(424, 'docker_image_missing',
    `The ${imageType} image ${image} is not on the Docker engine. Build it with \`hangar-api image build${imageType === 'desktop' ? ' --desktop' : ''}\` ` +
    `(same environment as the server; works without a registry too), or by hand from the Hangar checkout: ${build} ` +
    `(see media/images/README.md), or set ${imageType === 'desktop' ? 'HANGAR_DOCKER_DESKTOP_IMAGE' : 'HANGAR_DOCKER_IMAGE'} to an image you have.`);
}

export const notDeployed = (projectId: string) =>
  new DockerRuntimeError(404, 'not_deployed', `Project ${projectId} has no container on this Docker engine: deploy it first.`);

/** Wraps any engine failure: connection problems become docker_unavailable, the rest keep the engine's words. */
export function wrapEngineError(action: string, dockerHost: string, err: unknown): Error {
  if (err instanceof DockerRuntimeError) return err;
  if ((err as Error)?.name === 'AbortError') return err as Error;
  const code = (err as EngineError)?.code;
  if (code && CONNECT_CODES.has(code) && statusOf(err) === undefined) return unreachable(dockerHost, err);
  return new DockerRuntimeError(502, 'docker_error', `Docker could not ${action}: ${engineMessage(err)}`, err);
}
