// Docker and Coolify runtimes: lifecycle figures next to a floor measured in the same run.
// Run by test/bench/deploy.ts (`npm run bench`); BENCH_ROUNDS=N (default 3).
//
// docker: the DockerDriver directly against a private dockerd (test/harness/dockerd.mjs, reused when
// one answers) and the locally built test image (ensureTestImage). Every "→ ready" waits for
// GET /global/health with the project's password, as the API's lifecycle does. The floor is the
// same image started by hand, like `docker run`: create + start of a container whose entrypoint is
// `opencode serve`, until /global/health answers.
// coolify: the driver against the contract server (test/fixtures/coolify/server.ts), a fake whose
// deployments take fixed steps: its figures measure the driver's request/poll overhead, not Coolify.
import crypto from 'node:crypto';
import type { Tier } from '../../backend/contract';
import { CoolifyDriver } from '../../backend/runtime/coolify/coolifyDriver';
import { loadCoolifyConfig } from '../../backend/runtime/coolify/config';
import type { DeploySpec, RuntimeStatus } from '../../backend/runtime/driver';
import { waitForHealthy } from '../../backend/runtime/health';
import { loadDockerConfig } from '../../backend/runtime/docker/config';
import { DockerDriver, dockerClient } from '../../backend/runtime/docker/dockerDriver';
import { startDockerd } from '../harness/dockerd.mjs';
import { ensureTestImage } from '../fixtures/images/testImage.mjs';
import { startCoolifyServer } from '../fixtures/coolify/server';
import { fmt, summarize } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const never = new AbortController().signal;
const quiet = () => undefined;

const tier: Tier = {
  id: 'bench', name: 'Bench', description: '', cpus: 2, memory: '2g', memoryReservation: '512m', storageGb: 10,
  hasDesktopAccess: false, imageType: 'cli', exposedPorts: '4096', isDefault: false, retired: false, projectCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};

type Rows = [string, string][];

function print(title: string, rows: Rows): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

function row(label: string, samples: number[], floor?: number, floorName = 'floor'): [string, string] {
  const s = summarize(samples);
  const ratio = floor === undefined ? '' : `  ×${(s.median / floor).toFixed(2)} of ${floorName}`;
  return [`${label} (n=${s.n})`, `median ${fmt(s.median)}  max ${fmt(s.max)}${ratio}`];
}

async function ready(rs: RuntimeStatus, password: string): Promise<void> {
  if (!rs.agentUrl) throw new Error(`no agent URL after the action (state ${rs.state}${rs.reason ? `: ${rs.reason}` : ''})`);
  await waitForHealthy(rs.agentUrl, password, { signal: never, intervalMs: 20, timeoutMs: 60_000 });
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function benchDocker(): Promise<void> {
  const dockerd = await startDockerd({ log: (l) => console.error(`[dockerd] ${l}`) });
  try {
    const image = await ensureTestImage(dockerd.dockerHost, { log: (l) => console.error(`[test-image] ${l}`) });
    const config = loadDockerConfig({ DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: image.tag, HANGAR_DOCKER_STOP_TIMEOUT: '10' });
    const docker = dockerClient(config);
    const driver = new DockerDriver(config);
    const password = crypto.randomBytes(18).toString('base64url');
    // What the lifecycle passes (agentEnv) plus the offline switch the docker tests use; the floor gets the same.
    const env = { OPENCODE_SERVER_PASSWORD: password, HANGAR_WEBHOOK_SECRET: 'bench', OPENCODE_DISABLE_MODELS_FETCH: '1' };
    const samples: Record<string, number[]> = { floor: [], deploy: [], stop: [], start: [], restart: [], force: [] };

    /** `docker run -d -p 127.0.0.1::4096 <image> opencode serve` by hand: create + start → /global/health. */
    const floorOnce = async (): Promise<number> => {
      const t0 = performance.now();
      const c = await docker.createContainer({
        Image: image.tag,
        Entrypoint: ['/usr/local/bin/opencode'],
        Cmd: ['serve', '--hostname', '0.0.0.0', '--port', '4096'],
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        WorkingDir: '/workspace',
        ExposedPorts: { '4096/tcp': {} },
        Labels: { 'dev.hangar.bench': 'floor' },
        HostConfig: { PortBindings: { '4096/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      });
      try {
        await c.start();
        const info = await c.inspect();
        const port = info.NetworkSettings.Ports['4096/tcp']?.[0]?.HostPort;
        if (!port) throw new Error('the floor container published no port');
        await waitForHealthy(`http://127.0.0.1:${port}`, password, { signal: never, intervalMs: 20, timeoutMs: 60_000 });
        return performance.now() - t0;
      } finally {
        await c.remove({ force: true, v: true }).catch(() => undefined);
      }
    };

    const ids: string[] = [];
    try {
      // One untimed warm-up of each path (image layers into the page cache, first volume).
      await floorOnce();
      for (let i = 0; i < ROUNDS; i++) {
        const projectId = `bench${crypto.randomBytes(5).toString('hex')}`;
        ids.push(projectId);
        const spec = (force: boolean): DeploySpec => ({ projectId, slug: `bench-${i}`, tier, env, force });
        samples.floor!.push(await floorOnce());
        samples.deploy!.push(await timed(async () => ready(await driver.deploy(spec(false), quiet, never), password)));
        samples.stop!.push(await timed(async () => { await driver.stop(projectId, quiet); }));
        samples.start!.push(await timed(async () => ready(await driver.start(projectId, quiet, never), password)));
        samples.restart!.push(await timed(async () => ready(await driver.restart(projectId, quiet, never), password)));
        samples.force!.push(await timed(async () => ready(await driver.deploy(spec(true), quiet, never), password)));
        await driver.remove(projectId, { volumes: true }, quiet);
      }
    } finally {
      for (const id of ids) await driver.remove(id, { volumes: true }, quiet).catch(() => undefined);
      const left = await docker.listContainers({ all: true, filters: { label: ['dev.hangar.bench=floor'] } });
      for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      await driver.close();
    }
    const floor = summarize(samples.floor!).median;
    const info = await docker.version();
    print(`Docker runtime lifecycle (${new Date().toISOString()}, engine ${info.Version}, image ${image.tag}, DockerDriver directly, "→ ready" = /global/health with the password)`, [
      row('floor: docker run of the image, opencode serve (create+start → /global/health)', samples.floor!),
      row('deploy (new container + volume) → ready', samples.deploy!, floor),
      row('stop (SIGTERM via tini)', samples.stop!),
      row('start → ready', samples.start!, floor),
      row('restart → ready (same container)', samples.restart!, floor),
      row('force deploy (remove + recreate) → ready', samples.force!, floor),
    ]);
  } finally {
    await dockerd.stop();
  }
}

export async function benchCoolify(): Promise<void> {
  const stepMs = Number(process.env.BENCH_COOLIFY_STEP_MS ?? 60);
  const pollMs = 25;
  const server = await startCoolifyServer({ stepMs });
  const driver = new CoolifyDriver(loadCoolifyConfig({
    HANGAR_COOLIFY_URL: server.url,
    HANGAR_COOLIFY_TOKEN: server.token,
    HANGAR_COOLIFY_SERVER_UUID: server.serverUuid,
    HANGAR_COOLIFY_PROJECT_UUID: server.projectUuid,
    HANGAR_COOLIFY_ENVIRONMENT: server.environmentName,
    HANGAR_COOLIFY_DOMAIN: 'agents.test',
    HANGAR_COOLIFY_IMAGE: 'ghcr.io/hangar-dev/agent:1.18.33',
  }), { pollMs, deployTimeoutMs: 30_000, runningTimeoutMs: 30_000, stopTimeoutMs: 30_000 });
  const samples: Record<string, number[]> = { deploy: [], stop: [], start: [], restart: [], force: [] };
  const ids: string[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const projectId = `prj_bench${i}${crypto.randomBytes(3).toString('hex')}`;
      ids.push(projectId);
      const spec = (force: boolean): DeploySpec => ({ projectId, slug: `bench-${i}`, tier, env: { OPENCODE_SERVER_PASSWORD: 'pw' }, force });
      const running = async (p: Promise<RuntimeStatus>) => {
        const rs = await p;
        if (rs.state !== 'running') throw new Error(`coolify: ended ${rs.state} ${rs.reason ?? ''}`);
      };
      samples.deploy!.push(await timed(() => running(driver.deploy(spec(false), quiet, never))));
      samples.stop!.push(await timed(async () => { await driver.stop(projectId, quiet); }));
      samples.start!.push(await timed(() => running(driver.start(projectId, quiet, never))));
      samples.restart!.push(await timed(() => running(driver.restart(projectId, quiet, never))));
      samples.force!.push(await timed(() => running(driver.deploy(spec(true), quiet, never))));
      await driver.remove(projectId, { volumes: true }, quiet);
    }
  } finally {
    for (const id of ids) await driver.remove(id, { volumes: true }, quiet).catch(() => undefined);
    await driver.close();
    await server.close();
  }
  if (server.violations.length) console.log(`contract violations: ${server.violations.join('; ')}`);
  // The fake's own minimum for a deployment: queued → in_progress → finished → running = 3 steps.
  const fakeFloor = 3 * stepMs;
  print(`Coolify runtime — THE FAKE's figures (contract server, no real Coolify; deployment steps of ${stepMs} ms, driver polling every ${pollMs} ms; state "running" as the fake reports it, no opencode)`, [
    [`fake's floor: 3 deployment steps`, fmt(fakeFloor)],
    row('deploy → running (create app, envs, deploy, poll)', samples.deploy!, fakeFloor, "fake's floor"),
    row('stop → stopped', samples.stop!),
    row('start → running (a deployment in Coolify)', samples.start!, fakeFloor, "fake's floor"),
    // No ratio: the fake keeps reporting the old "running:healthy" while a redeploy runs.
    row('restart → running (fake keeps the old status meanwhile)', samples.restart!),
    row('force deploy → running (fake keeps the old status meanwhile)', samples.force!),
  ]);
}

