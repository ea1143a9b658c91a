// The VNC bridge for a desktop-tier project on the docker runtime: a real dockerd (test/harness/dockerd.mjs),
// the desktop stand-in image (test/fixtures/images/desktopTestImage.mjs: the real desktop-start.sh with
// this machine's Xvfb and x11vnc, a small node websocket bridge on 6080 in place of websockify), the real
// API. The browser side is the RFB client in ./rfbClient; the API bridges ws → ws to the container's 6080.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { Operation, OperationList, Project, VncTicket } from '../../../backend/contract';
import { ensureDesktopTestImage } from '../../fixtures/images/desktopTestImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { handshake, pixelAt, readUpdate, requestUpdate, tryWebSocket, wsChannel } from './rfbClient';

const BRIDGE_LOG = '/home/hangar/.local/state/hangar-desktop/websockify.log';
const timings: Record<string, number> = {};

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('VNC bridge: desktop tier on the docker runtime (real dockerd, Xvfb + x11vnc in the container)', function () {
  this.timeout(120_000);
  const t0 = performance.now();
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let desk: Project | undefined;
  let dockerEnv: Record<string, string> = {};

  const wsUrl = (projectId: string, ticket?: string) => `${api.url.replace(/^http/, 'ws')}/api/projects/${projectId}/vnc${ticket === undefined ? '' : `?ticket=${encodeURIComponent(ticket)}`}`;
  const exec = async (argv: string[]) => {
    const r = await api.server.services.driver!.exec(desk!.id, argv);
    assert.equal(r.exitCode, 0, `${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const bridgeConnections = async () => ((await exec(['cat', BRIDGE_LOG])).match(/^connection from /gm) ?? []).length;

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    let image;
    try {
      image = await ensureDesktopTestImage(dockerd.dockerHost);
    } catch (err) {
      // Missing Xvfb / x11vnc / xsetroot on this machine: a failure under CI, a skip elsewhere.
      if (process.env.CI === 'true' || !/missing:/.test((err as Error).message)) throw err;
      console.warn(`      ${(err as Error).message}`);
      await dockerd.stop();
      dockerd = null;
      this.skip();
    }
    timings[image.built ? 'image build' : 'image cache check'] = image.ms;
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    // The API reads the docker runtime's variables with the rest of its configuration (backend/config.ts).
    dockerEnv = { DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_DESKTOP_IMAGE: image.tag, HANGAR_DOCKER_STOP_TIMEOUT: '2' };
    api = await startTestApi({ ...dockerEnv, HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off' });
    admin = client(api.url, api.adminToken);
    // The seeded desktop tier asks for 8 CPUs and 16g; this machine has 2 cores and docker refuses more.
    const shrunk = await admin.call('PATCH', '/api/container-tiers/desktop', { cpus: 1, memory: '2g', memoryReservation: '1g' });
    assert.equal(shrunk.status, 200, JSON.stringify(shrunk.body));
    desk = (await admin.post<Project>('/api/projects', { name: 'docked-desk', tierId: 'desktop' })).body;
    const op = (await admin.post<Operation>(`/api/projects/${desk.id}/deploy`, { force: false })).body;
    const started = performance.now();
    const done = await until('the deploy', async () => {
      const o = (await admin.get<OperationList>(`/api/projects/${desk!.id}/operations`)).body.items.find((x) => x.id === op.id);
      return o && ['succeeded', 'failed', 'cancelled'].includes(o.state) ? o : undefined;
    }, 120_000);
    timings['deploy'] = Math.round(performance.now() - started);
    assert.equal(done.state, 'succeeded', done.error ?? '');
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      if (desk) {
        await admin.del(`/api/projects/${desk.id}?deleteVolumes=true&confirm=${desk.slug}`).catch(() => undefined);
        const left = await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${desk.id}`] } });
        for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
        await docker.getVolume(`hangar-ws-${desk.id}`).remove().catch(() => undefined);
      }
      await api?.close();
    } finally {
      await dockerd.stop();
      timings['whole file'] = Math.round(performance.now() - t0);
      console.log(`      timings (ms): ${JSON.stringify(timings)}`);
    }
  });

  it('the container runs the X stack with DISPLAY for opencode, and 6080 is bound to loopback only', async () => {
    const p = (await admin.get<Project>(`/api/projects/${desk!.id}`)).body;
    assert.equal(p.status, 'running');
    const [info] = await docker.listContainers({ filters: { label: [`dev.hangar.project=${desk!.id}`] } });
    const inspect = await docker.getContainer(info!.Id).inspect();
    assert.equal(inspect.Config.Image, dockerEnv.HANGAR_DOCKER_DESKTOP_IMAGE);
    const bound = inspect.NetworkSettings.Ports['6080/tcp'] ?? [];
    assert.ok(bound.length > 0, '6080 is published for the API to reach');
    for (const b of bound) assert.equal(b.HostIp, '127.0.0.1', `6080 bound beyond loopback: ${JSON.stringify(bound)}`);
    for (const b of inspect.HostConfig.PortBindings['6080/tcp'] ?? []) assert.equal(b.HostIp, '127.0.0.1');
    assert.equal(p.urls.vnc, `ws://127.0.0.1:${bound[0]!.HostPort}/websockify`);
    // opencode (pid of the entrypoint's exec) got the DISPLAY the desktop's X server serves.
    const environ = await exec(['sh', '-c', 'tr "\\0" "\\n" < /proc/$(pidof opencode)/environ']);
    assert.match(environ, /^DISPLAY=:1$/m);
    await exec(['xsetroot', '-solid', '#3366cc']);
  });

  it('bridges a real RFB session ws → ws to the container and reads back the colour drawn inside it', async () => {
    const seen = await bridgeConnections();
    const t = (await admin.post<VncTicket>(`/api/projects/${desk!.id}/vnc/ticket`));
    assert.equal(t.status, 201, JSON.stringify(t.body));
    const a = await tryWebSocket(wsUrl(desk!.id, t.body.ticket));
    assert.ok(a.open, JSON.stringify(a));
    const ch = wsChannel(a.ws);
    const init = await handshake(ch);
    assert.equal(init.version, 'RFB 003.008');
    assert.deepEqual([init.width, init.height], [1440, 900], 'the image\'s HANGAR_SCREEN');
    const pixels = Buffer.alloc(init.width * init.height * 4);
    requestUpdate(ch, init.width, init.height);
    await readUpdate(ch, init.width, pixels);
    assert.equal(pixelAt(pixels, init.width, 700, 450), '#3366cc');
    // Draw again and ask again: the picture is live, not a cached frame.
    // x11vnc notices screen changes by polling, so a request right after the draw may still see the old one.
    await exec(['xsetroot', '-solid', '#22aa55']);
    await until('the new colour over VNC', async () => {
      requestUpdate(ch, init.width, init.height);
      await readUpdate(ch, init.width, pixels);
      return pixelAt(pixels, init.width, 10, 10) === '#22aa55' ? true : undefined;
    }, 10_000);
    assert.equal(api.server.services.vnc.activeSessions(desk!.id), 1);
    assert.equal(await bridgeConnections(), seen + 1, 'the container\'s bridge on 6080 carried the session');
    ch.close();
    await ch.closed;
    await until('session gone', async () => (api.server.services.vnc.activeSessions(desk!.id) === 0 ? true : undefined), 5000);
  });

  it('x11vnc killed inside the container: the image\'s supervision restarts it and the desktop is shown again through the bridge', async () => {
    const before = (await exec(['pidof', 'x11vnc'])).trim();
    const killedAt = Date.now();
    await exec(['sh', '-c', 'kill -9 $(pidof x11vnc)']);
    await until('the desktop shown again', async () => {
      const t = await admin.post<VncTicket>(`/api/projects/${desk!.id}/vnc/ticket`);
      if (t.status !== 201) return undefined;
      const a = await tryWebSocket(wsUrl(desk!.id, t.body.ticket));
      if (!a.open) return undefined;
      const ch = wsChannel(a.ws);
      const init = await handshake(ch).catch(() => undefined);
      ch.close();
      return init ? true : undefined;
    }, 30_000);
    timings['x11vnc killed → desktop shown again'] = Date.now() - killedAt;
    const after = (await exec(['pidof', 'x11vnc'])).trim();
    assert.ok(after && after !== before, `a new x11vnc runs (before ${before}, after ${after})`);
    assert.match(await exec(['sh', '-c', 'cat "${XDG_STATE_HOME:-$HOME/.local/state}/hangar-desktop/supervisor.log"']), /x11vnc exited \(\d+\) at .*; restart 1/);
  });

  it('refuses a websocket without a ticket before anything reaches the container', async () => {
    const seen = await bridgeConnections();
    const a = await tryWebSocket(wsUrl(desk!.id));
    assert.equal(a.open, false);
    if (a.open) return;
    assert.equal(a.status, 401);
    assert.equal(a.body.error?.code, 'vnc_ticket_missing');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await bridgeConnections(), seen, 'the container\'s bridge saw no connection');
  });
});
