import path from 'node:path';
import type Docker from 'dockerode';
import { buildFromDirectory, buildFromPlan, type Log } from './buildImage';
import { cliSourcesIn, planLocalCliImage } from './localCliImage';
import { planLocalDesktopImage } from './localDesktopImage';

/** `registry`: the Dockerfiles in media/images (need a registry and apt/npm mirrors); `local`: FROM scratch out of this machine's packages. */
export type ImageRoute = 'registry' | 'local';

/** The base image of media/images/cli/Dockerfile; pulling it is how the command tells whether a registry is reachable. */
export const DOCKERFILE_BASE_IMAGE = 'node:22-bookworm-slim';

/** The route for a requested one (`auto` asks the probe: can the engine pull the Dockerfile's base image?). */
export async function chooseRoute(requested: ImageRoute | 'auto', registryReachable: () => Promise<boolean>): Promise<{ route: ImageRoute; why: string }> {
  if (requested !== 'auto') return { route: requested, why: `--${requested} was given` };
  return (await registryReachable())
    ? { route: 'registry', why: `the engine pulled ${DOCKERFILE_BASE_IMAGE}` }
    : { route: 'local', why: `the engine could not pull ${DOCKERFILE_BASE_IMAGE} (no registry reachable)` };
}

/** Pulls the base image within timeoutMs; false on any failure (offline, no DNS, rate limit). */
export async function canPull(docker: Docker, image: string, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  const pull = (async () => {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    }));
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([pull, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ImageBuildRequest {
  docker: Docker;
  media: string;
  route: ImageRoute;
  /** The tags the docker runtime uses (HANGAR_DOCKER_IMAGE / HANGAR_DOCKER_DESKTOP_IMAGE or their defaults). */
  cliTag: string;
  desktopTag: string;
  desktop: boolean;
  /** For the local route: the opencode binary the image runs, the ws package and node for the desktop bridge. */
  opencode: () => { path: string; version: string };
  wsPackage: () => string;
  node: string;
  log: Log;
}

/** Builds the cli image, then the desktop one when asked; returns the tags built. */
export async function buildAgentImages(r: ImageBuildRequest): Promise<string[]> {
  const labels = { 'dev.hangar.image': 'agent', 'dev.hangar.image-route': r.route };
  const built: string[] = [];
  if (r.route === 'registry') {
    r.log(`building ${r.cliTag} from media/images/cli/Dockerfile`);
    await buildFromDirectory(r.docker, r.media, r.cliTag, { dockerfile: 'images/cli/Dockerfile', labels, log: r.log });
    built.push(r.cliTag);
    if (r.desktop) {
      r.log(`building ${r.desktopTag} from media/images/desktop/Dockerfile on ${r.cliTag}`);
      await buildFromDirectory(r.docker, path.join(r.media, 'images', 'desktop'), r.desktopTag, { buildargs: { CLI_IMAGE: r.cliTag }, labels, log: r.log });
      built.push(r.desktopTag);
    }
    return built;
  }
  const sources = cliSourcesIn(r.media, r.opencode());
  await buildFromPlan(r.docker, planLocalCliImage(sources), r.cliTag, { log: r.log, labels });
  built.push(r.cliTag);
  if (r.desktop) {
    const plan = planLocalDesktopImage({ ...sources, desktopStart: path.join(r.media, 'images', 'desktop', 'desktop-start.sh'), wsPackage: r.wsPackage(), node: r.node });
    await buildFromPlan(r.docker, plan, r.desktopTag, { log: r.log, labels, prefix: 'hangar-desktop-image-' });
    built.push(r.desktopTag);
  }
  return built;
}
