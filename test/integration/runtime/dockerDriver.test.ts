// The docker runtime against a real dockerd (test/harness/dockerd.mjs), a real image built FROM
// scratch out of this machine's binaries (test/fixtures/images) and the real opencode inside it.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import Docker from 'dockerode';
import type { Tier } from '../../../backend/contract';
import type { DeploySpec, RuntimeStatus } from '../../../backend/runtime/driver';
import { loadDockerConfig } from '../../../backend/runtime/docker/config';
import { DockerDriver, dockerClient } from '../../../backend/runtime/docker/dockerDriver';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';

const GiB = 1024 ** 3;
const never = new AbortController().signal;
const timings: Record<string, number> = {};

function standardTier(over: Partial<Tier> = {}): Tier {
  const now = new Date().toISOString();
  return {
    id: 'standard', name: 'Standard', description: '', cpus: 2, memory: '4g', memoryReservation: '2g',
    storageGb: 20, hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: true,
    retired: false, projectCount: 0, createdAt: now, updatedAt: now, ...over,
  };
}

/** Polls opencode's health with short per-request timeouts (it hangs requests that come too early). */
async function waitHealthy(agentUrl: string, password: string, ms = 60_000): Promise<{ healthy: boolean; version: string }> {
  const auth = `Basic ${Buffer.from(`opencode:${password}`).toString('base64')}`;
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${agentUrl}/global/health`, { headers: { Authorization: auth }, signal: AbortSignal.timeout(400) });
      if (res.status === 200) return await res.json() as { healthy: boolean; version: string };
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`opencode at ${agentUrl} not healthy within ${ms} ms (last: ${last})`);
}

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try { return await fn(); } finally { timings[name] = Math.round(performance.now() - t0); }
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('docker runtime driver (real dockerd, real opencode)', function () {
  this.timeout(120_000);
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let driver: DockerDriver;
  let image: string;
  const projectId = `it${crypto.randomBytes(6).toString('hex')}`;
  const password = crypto.randomBytes(18).toString('base64url');
  const spec = (over: Partial<DeploySpec> = {}): DeploySpec => ({
    projectId,
    slug: 'driver-test',
    tier: standardTier(),
    env: {
      OPENCODE_SERVER_PASSWORD: password,
      OPENCODE_AUTH_CONTENT: JSON.stringify({ fake: { type: 'api', key: 'sk-test-not-real' } }),
      OPENCODE_DISABLE_MODELS_FETCH: '1',
    },
    force: false,
    ...over,
  });
  const steps: string[] = [];
  const progress = (m: string) => steps.push(m);

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws instead
    const built = await ensureTestImage(dockerd.dockerHost);
    image = built.tag;
    timings[built.built ? 'image build' : 'image cache check'] = built.ms;
    const config = loadDockerConfig({ DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: image, HANGAR_DOCKER_STOP_TIMEOUT: '5' });
    docker = dockerClient(config);
    driver = new DockerDriver(config);
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      await driver?.remove(projectId, { volumes: true }, () => {}).catch(() => undefined);
      // Belt and braces: nothing labelled with this test's project survives a failed test.
      const left = await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${projectId}`] } });
      for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      for (const v of [`hangar-ws-${projectId}`, `hangar-agent-${projectId}`]) await docker.getVolume(v).remove().catch(() => undefined);
      await driver?.close();
    } finally {
      await dockerd.stop();
      console.log(`      timings (ms): ${JSON.stringify(timings)}`);
    }
  });

  it('names the missing image and how to build it', async () => {
    const d = new DockerDriver(loadDockerConfig({ DOCKER_HOST: dockerd!.dockerHost, HANGAR_DOCKER_IMAGE: 'hangar-test/absent:0' }));
    await assert.rejects(d.deploy(spec(), progress, never), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'docker_image_missing');
      assert.match(err.message, /hangar-test\/absent:0 is not on the Docker engine/);
      assert.match(err.message, /docker build -t hangar-test\/absent:0 -f media\/images\/cli\/Dockerfile media/);
      return true;
    });
    await d.close();
  });

  it('says how to reach the engine when DOCKER_HOST answers nothing', async () => {
    const d = new DockerDriver(loadDockerConfig({ DOCKER_HOST: 'unix:///tmp/hangar-docker/nothing-here.sock' }));
    await assert.rejects(d.status(projectId), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'docker_unavailable');
      assert.match(err.message, /not reachable at unix:\/\/\/tmp\/hangar-docker\/nothing-here\.sock \(ENOENT\)/);
      assert.match(err.message, /DOCKER_HOST/);
      return true;
    });
    await d.close();
  });

  it('deploys a standard-tier project whose opencode answers on 127.0.0.1 with Basic auth only', async () => {
    assert.deepEqual(await driver.status(projectId), { state: 'absent' });
    const t0 = performance.now();
    const status = await timed('deploy (create+start)', () => driver.deploy(spec(), progress, never));
    assert.equal(status.state, 'running');
    assert.match(status.agentUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(status.vncUrl, undefined);
    assert.deepEqual(status.unenforced, ['storage 20 GB: docker volumes have no size limit on this engine']);
    const health = await waitHealthy(status.agentUrl!, password);
    timings['deploy to healthy'] = Math.round(performance.now() - t0);
    assert.deepEqual(health, { healthy: true, version: '1.18.33' });
    const anonymous = await fetch(`${status.agentUrl}/global/health`, { signal: AbortSignal.timeout(2000) });
    assert.equal(anonymous.status, 401);
  });

  it('runs the container with the tier limits, loopback ports, the volume and env-only credentials', async () => {
    const { instanceId } = await driver.status(projectId);
    const info = await docker.getContainer(instanceId!).inspect();
    const h = info.HostConfig;
    console.log(`      docker inspect: NanoCpus=${h.NanoCpus} Memory=${h.Memory} MemoryReservation=${h.MemoryReservation} ` +
      `PidsLimit=${h.PidsLimit} Ulimits=${JSON.stringify(h.Ulimits)} RestartPolicy=${h.RestartPolicy?.Name} ` +
      `PortBindings=${JSON.stringify(h.PortBindings)} Ports=${JSON.stringify(info.NetworkSettings.Ports)} Name=${info.Name}`);
    assert.equal(h.NanoCpus, 2e9);
    assert.equal(h.Memory, 4 * GiB);
    assert.equal(h.MemoryReservation, 2 * GiB);
    assert.equal(h.PidsLimit, 1024);
    assert.ok((h.Ulimits ?? []).every((u) => u.Name !== 'nofile' || (u.Hard ?? 0) <= 20000));
    assert.equal(h.RestartPolicy?.Name, 'unless-stopped');
    assert.deepEqual(h.PortBindings, { '4096/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    const bound = info.NetworkSettings.Ports['4096/tcp'] ?? [];
    assert.ok(bound.length > 0 && bound.every((b) => b.HostIp === '127.0.0.1'), JSON.stringify(bound));
    assert.equal(info.Name, `/hangar-driver-test-${projectId.slice(0, 8)}`);
    assert.equal(info.Config.Labels['dev.hangar.project'], projectId);
    assert.equal(info.Config.Labels['dev.hangar.managed'], 'true');
    assert.deepEqual(info.Mounts.map((m) => [m.Type, m.Name, m.Destination]).sort(), [
      ['volume', `hangar-agent-${projectId}`, '/home/hangar/.local/share/opencode'],
      ['volume', `hangar-ws-${projectId}`, '/workspace'],
    ]);
    assert.ok(info.Config.Env.includes(`OPENCODE_SERVER_PASSWORD=${password}`));
    const imageEnv = (await docker.getImage(image).inspect()).Config.Env ?? [];
    assert.ok(!imageEnv.some((e) => /PASSWORD|AUTH_CONTENT/.test(e)), `image env must hold no credentials: ${imageEnv.join(' ')}`);
    // The cgroup the kernel enforces, read from inside the container (cgroup v1 here, v2 elsewhere).
    const limits = await driver.exec(projectId, ['sh', '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max']);
    console.log(`      cgroup inside: ${limits.stdout.trim().split('\n').join(' | ')}`);
    assert.match(limits.stdout, new RegExp(`^${4 * GiB}$`, 'm'));
    assert.match(limits.stdout, /^(200000|200000 100000)$/m);
    assert.match(limits.stdout, /^1024$/m);
  });

  it('keeps the container when deployed again unchanged', async () => {
    const before = await driver.status(projectId);
    const again = await driver.deploy(spec(), progress, never);
    assert.equal(again.instanceId, before.instanceId);
    assert.equal(again.state, 'running');
  });

  it('exec runs argv without a shell and returns demuxed output and the exit code', async () => {
    const echo = await driver.exec(projectId, ['echo', '$HOME', '; rm -rf /']);
    assert.deepEqual(echo, { exitCode: 0, stdout: '$HOME ; rm -rf /\n', stderr: '' });
    const ls = await driver.exec(projectId, ['ls', '/no-such-dir']);
    assert.notEqual(ls.exitCode, 0);
    assert.equal(ls.stdout, '');
    assert.match(ls.stderr, /no-such-dir/);
    const git = await driver.exec(projectId, ['git', 'init', '-q', '.'], { cwd: '/workspace' });
    assert.equal(git.exitCode, 0, git.stderr);
  });

  it('stops (and the restart policy leaves it stopped), starts and restarts the same container', async () => {
    const { instanceId } = await driver.status(projectId);
    const stopped = await timed('stop', () => driver.stop(projectId, progress));
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.instanceId, instanceId);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await driver.status(projectId)).state, 'stopped', 'unless-stopped must not revive a container we stopped');

    const t0 = performance.now();
    const started = await timed('start', () => driver.start(projectId, progress, never));
    assert.equal(started.state, 'running');
    assert.equal(started.instanceId, instanceId);
    await waitHealthy(started.agentUrl!, password);
    timings['start to healthy'] = Math.round(performance.now() - t0);

    const t1 = performance.now();
    const restarted = await timed('restart', () => driver.restart(projectId, progress, never));
    assert.equal(restarted.state, 'running');
    assert.equal(restarted.instanceId, instanceId);
    await waitHealthy(restarted.agentUrl!, password);
    timings['restart to healthy'] = Math.round(performance.now() - t1);
  });

  it('follows the logs across a restart of the container', async () => {
    const lines: string[] = [];
    const ac = new AbortController();
    const following = driver.followLogs(projectId, (l) => lines.push(l), ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    await driver.restart(projectId, progress, never);
    await eventually(async () => lines.some((l) => l.includes('opencode server listening')), 'the restarted run\'s log lines in the follow');
    ac.abort();
    await following;
    assert.ok(lines.some((l) => l.startsWith('hangar-entrypoint: starting opencode serve')), lines.join('\n'));
    await waitHealthy((await driver.status(projectId)).agentUrl!, password);
  });

  it('force deploy recreates the container and keeps the workspace volume', async () => {
    const before = await driver.status(projectId);
    const write = await driver.exec(projectId, ['sh', '-c', 'echo kept > /workspace/marker.txt']);
    assert.equal(write.exitCode, 0, write.stderr);
    const t0 = performance.now();
    const after = await timed('force deploy (stop+remove+create+start)', () => driver.deploy(spec({ force: true }), progress, never));
    assert.notEqual(after.instanceId, before.instanceId);
    assert.equal(after.state, 'running');
    await waitHealthy(after.agentUrl!, password);
    timings['force deploy to healthy'] = Math.round(performance.now() - t0);
    const read = await driver.exec(projectId, ['cat', '/workspace/marker.txt']);
    assert.deepEqual(read, { exitCode: 0, stdout: 'kept\n', stderr: '' });
    assert.equal((await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${projectId}`] } })).length, 1);
  });

  it('recreates the container when the tier changes', async () => {
    const before = await driver.status(projectId);
    const after = await driver.deploy(spec({ tier: standardTier({ cpus: 1, memory: '2g', memoryReservation: '1g' }) }), progress, never);
    assert.notEqual(after.instanceId, before.instanceId);
    const h = (await docker.getContainer(after.instanceId!).inspect()).HostConfig;
    assert.deepEqual([h.NanoCpus, h.Memory, h.MemoryReservation], [1e9, 2 * GiB, 1 * GiB]);
    await waitHealthy(after.agentUrl!, password);
  });

  it('reports a killed container as exited with its reason, through watch, and keeps its logs', async () => {
    const seen: RuntimeStatus[] = [];
    const unwatch = driver.watch((id, s) => { if (id === projectId) seen.push(s); });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the events stream is open
      const { instanceId } = await driver.status(projectId);
      await docker.getContainer(instanceId!).kill();
      await eventually(async () => seen.some((s) => s.state === 'exited'), 'an exited status from watch()');
    } finally {
      unwatch();
    }
    const status = await driver.status(projectId);
    assert.equal(status.state, 'exited');
    assert.match(status.reason ?? '', /^exited with code 137 \(SIGKILL\)/);
    const logs = await driver.logs(projectId, 20);
    assert.ok(logs.some((l) => l.includes('opencode server listening on http://0.0.0.0:4096')), logs.join('\n'));
    assert.deepEqual((await driver.list()).filter((p) => p.projectId === projectId).map((p) => p.status.state), ['exited']);
  });

  it('publishes 6080 on 127.0.0.1 for a desktop tier and reports its VNC URL', async () => {
    // The cli test image stands in for the desktop one: this checks the wiring, not the X stack.
    const desktopId = `${projectId}d`;
    const d = new DockerDriver(loadDockerConfig({ DOCKER_HOST: dockerd!.dockerHost, HANGAR_DOCKER_IMAGE: image, HANGAR_DOCKER_DESKTOP_IMAGE: image }));
    try {
      const s = await d.deploy(spec({ projectId: desktopId, slug: 'desk', tier: standardTier({ id: 'desktop', imageType: 'desktop', hasDesktopAccess: true, exposedPorts: '4096,6080' }) }), progress, never);
      assert.match(s.vncUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/websockify$/);
      const info = await docker.getContainer(s.instanceId!).inspect();
      assert.deepEqual(Object.keys(info.NetworkSettings.Ports).sort(), ['4096/tcp', '6080/tcp']);
      for (const b of Object.values(info.NetworkSettings.Ports).flat()) assert.equal(b?.HostIp, '127.0.0.1');
    } finally {
      await d.remove(desktopId, { volumes: true }, progress);
      await d.close();
    }
  });

  it('remove leaves nothing but the volume, and the volume too when asked', async () => {
    await driver.remove(projectId, { volumes: false }, progress);
    assert.deepEqual(await driver.status(projectId), { state: 'absent' });
    assert.equal((await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${projectId}`] } })).length, 0);
    assert.deepEqual((await driver.list()).filter((p) => p.projectId === projectId), []);
    await docker.getVolume(`hangar-ws-${projectId}`).inspect(); // still there
    await docker.getVolume(`hangar-agent-${projectId}`).inspect(); // the agent's sessions too
    await driver.remove(projectId, { volumes: true }, progress);
    for (const v of [`hangar-ws-${projectId}`, `hangar-agent-${projectId}`]) {
      await assert.rejects(docker.getVolume(v).inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
    }
  });
});
