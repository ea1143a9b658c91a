// `hangar-api image build --desktop` on a real private dockerd with no registry reachable: the
// command picks the local route by itself and tags the images the docker runtime would run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { loadDockerConfig } from '../../../backend/runtime/docker/config';
import { dockerClient } from '../../../backend/runtime/docker/dockerDriver';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

/** Runs `cmd` in a throw-away container of image (entrypoint replaced) and returns its output. */
async function runIn(docker: Docker, image: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({ Image: image, Entrypoint: cmd, HostConfig: { AutoRemove: false } });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true });
    // Without a TTY the engine frames each chunk: 8-byte header (stream, 0, 0, 0, size), then the bytes.
    const parts: Buffer[] = [];
    for (let at = 0; at + 8 <= logs.length; at += 8 + logs.readUInt32BE(at + 4)) parts.push(logs.subarray(at + 8, at + 8 + logs.readUInt32BE(at + 4)));
    return Buffer.concat(parts).toString('utf8');
  } finally {
    await container.remove({ force: true });
  }
}

describe('hangar-api image build (real dockerd, no registry)', () => {
  let dockerd: Dockerd | null = null;
  after(async function () {
    this.timeout(60_000);
    await dockerd?.stop();
  });

  it('builds the cli and desktop images from this machine\'s packages, tagged as the docker runtime expects', async function () {
    this.timeout(240_000);
    dockerd = await requireDockerd();
    if (!dockerd) throw new Error('dockerd cannot run here; install docker.io (test/harness/setup-debian.sh)');
    const suffix = `it-${process.pid}`;
    const env = {
      ...process.env, DOCKER_HOST: dockerd.dockerHost, HANGAR_DATA_DIR: path.join(os.tmpdir(), `hangar-image-build-${suffix}`),
      HANGAR_DOCKER_IMAGE: `hangar-test/image-build-cli:${suffix}`, HANGAR_DOCKER_DESKTOP_IMAGE: `hangar-test/image-build-desktop:${suffix}`,
    };
    const docker = dockerClient(loadDockerConfig(env));
    try {
      const { stderr } = await run(process.execPath, ['--import', 'tsx', path.join(root, 'backend/cli.ts'), 'image', 'build', '--desktop'], { cwd: root, env, maxBuffer: 16 << 20 });
      assert.match(stderr, /route: this machine's own packages \(FROM scratch\), because the engine could not pull node:22-bookworm-slim/);
      for (const tag of [env.HANGAR_DOCKER_IMAGE, env.HANGAR_DOCKER_DESKTOP_IMAGE]) {
        const info = await docker.getImage(tag).inspect();
        assert.equal(info.Config.Labels?.['dev.hangar.image-route'], 'local', tag);
        assert.deepEqual(info.Config.Entrypoint, ['/usr/local/bin/hangar-entrypoint'], tag);
        assert.equal(info.Config.User, 'hangar', tag);
      }
      assert.match(await runIn(docker, env.HANGAR_DOCKER_IMAGE, ['/usr/local/bin/opencode', '--version']), /^1\.18\.33\s*$/);
      const desktop = await runIn(docker, env.HANGAR_DOCKER_DESKTOP_IMAGE, ['/bin/sh', '-c', 'ls /usr/bin/Xvfb /usr/bin/x11vnc /usr/local/bin/hangar-desktop-start /home/hangar/.config/opencode/plugins/hangar-webhook.js && /opt/hangar/node --version']);
      for (const file of ['/usr/bin/Xvfb', '/usr/bin/x11vnc', '/usr/local/bin/hangar-desktop-start', 'plugins/hangar-webhook.js']) assert.ok(desktop.includes(file), `${file} missing:\n${desktop}`);
      assert.match(desktop, /^v\d+\.\d+\.\d+$/m);
    } finally {
      for (const tag of [env.HANGAR_DOCKER_IMAGE, env.HANGAR_DOCKER_DESKTOP_IMAGE]) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  });
});
