import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Progress } from './driver';
import type { RuntimeDrivers } from './drivers';
import { AGENT_DATA, WORKSPACE, projectVolumes, agentDataVolumeName, volumeName } from './docker/containerSpec';
import { projectPaths } from './local/paths';
import type { Relocator } from '../services/redeploy';
import type { Config } from '../config';
import { dockerClient } from './docker/dockerDriver';
import { loadDockerConfig } from './docker/config';

/** What moves with a project: its git workspace and opencode's data dir (sessions, messages). */
type Part = 'workspace' | 'agentData';
const PARTS: readonly Part[] = ['workspace', 'agentData'];

/** One runtime's side of a move: each part as a tar of the directory's contents. */
export interface StateSide {
  read(projectId: string, part: Part): Promise<Readable>;
  /** Into an empty target (the driver's remove with volumes has cleared it). */
  write(projectId: string, part: Part, tar: Readable): Promise<void>;
}

/** The local runtime keeps both under <dataDir>/projects/<id>: workspace/ and home/.local/share/opencode. */
export function localSide(dataDir: string): StateSide {
  const dir = (projectId: string, part: Part) => {
    const p = projectPaths(path.join(dataDir, 'projects'), projectId);
    return part === 'workspace' ? p.workspace : path.join(p.home, '.local', 'share', 'opencode');
  };
  return {
    async read(projectId, part) {
      const from = dir(projectId, part);
      fs.mkdirSync(from, { recursive: true, mode: 0o700 });
      // Owned by uid 1000 in the archive: the docker images' user hangar, who must own them there.
      return runTar(['-C', from, '--owner=1000', '--group=1000', '--numeric-owner', '-cf', '-', '.']).stdout;
    },
    async write(projectId, part, tar) {
      const to = dir(projectId, part);
      fs.mkdirSync(to, { recursive: true, mode: 0o700 });
      // --no-same-owner: the files belong to the API's user, like everything the local driver creates.
      const child = runTar(['-C', to, '--no-same-owner', '-xf', '-']);
      tar.pipe(child.stdin);
      await child.done;
    },
  };
}

/**
 * Docker keeps them in the project's two volumes. A helper container that is created but never started
 * mounts both; the engine's archive API reads and writes through it.
 */
export function dockerSide(docker: Docker, image: string): StateSide {
  const target = (part: Part) => (part === 'workspace' ? WORKSPACE : AGENT_DATA);
  const withHelper = async <T>(projectId: string, fn: (c: Docker.Container) => Promise<T>): Promise<T> => {
    for (const name of projectVolumes(projectId)) {
      await docker.createVolume({ Name: name, Labels: { 'dev.hangar.managed': 'true', 'dev.hangar.project': projectId } });
    }
    const c = await docker.createContainer({
      Image: image, Entrypoint: ['/bin/sleep', '3600'], Labels: { 'dev.hangar.move-helper': projectId },
      HostConfig: {
        Mounts: [
          { Type: 'volume', Source: volumeName(projectId), Target: WORKSPACE },
          { Type: 'volume', Source: agentDataVolumeName(projectId), Target: AGENT_DATA },
        ],
      },
    });
    try {
      // Running: the engine's archive API writes to a stopped container's layer, not to its volumes.
      await c.start();
      return await fn(c);
    } finally {
      await c.remove({ force: true }).catch(() => undefined);
    }
  };
  return {
    async read(projectId, part) {
      // Read fully while the helper lives (it goes when this returns).
      const chunks: Buffer[] = [];
      await withHelper(projectId, async (c) => {
        const stream = await c.getArchive({ path: `${target(part)}/.` });
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
      });
      return Readable.from(chunks);
    },
    async write(projectId, part, tar) {
      // The archive's owners are kept (copyUIDGID would look hangar up in a container that never ran).
      await withHelper(projectId, (c) => c.putArchive(tar, { path: target(part) }));
    },
  };
}

/** Moves between local and docker (coolify has no file access from outside its agent). */
export class Relocation implements Relocator {
  constructor(private readonly drivers: RuntimeDrivers, private readonly sides: Partial<Record<string, StateSide>>) {}

  problem(from: string, to: string): string | undefined {
    for (const r of [from, to]) if (!this.sides[r]) return `the ${r} runtime cannot hand over a workspace (moves work between local and docker)`;
    return undefined;
  }

  async move(projectId: string, from: string, to: string, progress: Progress, signal: AbortSignal): Promise<void> {
    const source = this.drivers.require(from);
    const target = this.drivers.require(to);
    progress(`Stopping the agent on the ${from} runtime so its files hold still`);
    await source.stop(projectId, progress).catch(() => undefined);
    progress(`Clearing what an earlier stay left on the ${to} runtime`);
    await target.remove(projectId, { volumes: true }, progress);
    for (const part of PARTS) {
      if (signal.aborted) throw new Error('cancelled by the user');
      progress(`Copying the ${part === 'workspace' ? 'workspace' : "agent's sessions"} from ${from} to ${to}`);
      await this.sides[to]!.write(projectId, part, await this.sides[from]!.read(projectId, part));
    }
  }

  /** After the deploy on the new runtime succeeded: the old one's process or container, and its copy. */
  async cleanUp(projectId: string, from: string, progress: Progress): Promise<void> {
    await this.drivers.get(from)?.remove(projectId, { volumes: true }, progress);
  }
}

function runTar(args: string[]): { stdout: Readable; stdin: NodeJS.WritableStream; done: Promise<void> } {
  const child = spawn('tar', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${args.join(' ')} exited ${code}: ${err.trim().slice(0, 500)}`))));
  });
  done.catch(() => undefined);
  // Piped at once: node discards a child's unread stdout when it exits (the reader may come later).
  const stdout = child.stdout.pipe(new PassThrough());
  done.catch((err: unknown) => stdout.destroy(err instanceof Error ? err : new Error(String(err))));
  return { stdout, stdin: child.stdin, done };
}

/** The sides of the runtimes this API drives: local always, docker when its driver is built. */
export function createRelocation(config: Config, drivers: RuntimeDrivers): Relocation {
  const sides: Partial<Record<string, StateSide>> = { local: localSide(config.dataDir) };
  if (drivers.get('docker')) {
    try {
      const docker = loadDockerConfig(config.runtimeEnv.docker);
      sides.docker = dockerSide(dockerClient(docker), docker.cliImage);
    } catch {
      // The docker driver was built from the same settings; without them there is no docker side.
    }
  }
  return new Relocation(drivers, sides);
}
