// The activity path on the docker runtime: a real dockerd (test/harness/dockerd.mjs), the test
// image (test/fixtures/images, with the plugin where the real image puts it), the real opencode in
// the container, the real API on loopback (so its webhook-only listener on docker's bridge is what
// the container reaches) and the fake LLM, reached from the container through a TCP relay on the
// bridge gateway (the fixture listens on loopback only).
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import type { ActivityPage, ActivitySession, Operation, OperationList, Project } from '../../../backend/contract';
import { startFakeLlm, type FakeLlm } from '../../fixtures/fakeLlm/server';
import { waitForBridgeGateway } from '../../../backend/runtime/docker/bridgeGateway';
import { ensureTestImage } from '../../fixtures/images/testImage.mjs';
import { requireDockerd, type Dockerd } from '../../harness/dockerd.mjs';
import { client, startTestApi, type TestApi } from '../support/apiServer';
import { removeDataDir } from '../../harness/scanRegistry.mjs';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Forwards host:0 → 127.0.0.1:port (the fake LLM) so a container can reach it. */
async function relay(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

describe('activity: the plugin in a docker container reports to the API (real dockerd, real opencode)', function () {
  this.timeout(180_000);
  let dockerd: Dockerd | null = null;
  let docker: Docker;
  let api: TestApi;
  let admin: ReturnType<typeof client>;
  let llm: FakeLlm;
  let llmRelay: Awaited<ReturnType<typeof relay>>;
  let project: Project | undefined;
  let gateway: string;

  before(async function () {
    this.timeout(300_000);
    dockerd = await requireDockerd();
    if (!dockerd) this.skip(); // only outside CI: under CI=true requireDockerd throws
    const { tag } = await ensureTestImage(dockerd.dockerHost);
    docker = new Docker({ socketPath: dockerd.dockerHost.replace(/^unix:\/\//, '') });
    // A freshly started dockerd may not report its bridge gateway yet: wait for it (bounded), as the API does.
    gateway = await waitForBridgeGateway(() => docker.getNetwork('bridge').inspect());
    llm = await startFakeLlm({ defaultReply: 'Built it in the container.' });
    llmRelay = await relay(gateway, Number(new URL(llm.baseUrl).port));
    // The API reads the docker runtime's variables with the rest of its configuration (backend/config.ts).
    const dockerEnv = { DOCKER_HOST: dockerd.dockerHost, HANGAR_DOCKER_IMAGE: tag, HANGAR_DOCKER_STOP_TIMEOUT: '2' };
    api = await startTestApi({ ...dockerEnv, HANGAR_RUNTIME: 'docker', HANGAR_MODELS_URL: 'off' });
    admin = client(api.url, api.adminToken);
  });

  after(async function () {
    this.timeout(60_000);
    if (!dockerd) return;
    try {
      if (project) await admin.del(`/api/projects/${project.id}?deleteVolumes=true&confirm=${project.slug}`).catch(() => undefined);
      if (project) {
        const left = await docker.listContainers({ all: true, filters: { label: [`dev.hangar.project=${project.id}`] } });
        for (const c of left) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
      await api?.close();
      await llmRelay?.close();
      await llm?.close();
      if (api) removeDataDir(api.dataDir);
    } finally {
      await dockerd.stop();
    }
  });

  it('the API listens for webhooks on docker\'s bridge (webhook route only) while the rest stays on loopback', async () => {
    const port = new URL(api.server.services.lifecycle.apiUrl!).port;
    assert.equal(api.server.services.lifecycle.apiUrl, `http://host.docker.internal:${port}`);
    const other = await fetch(`http://${gateway}:${port}/api/health`);
    assert.equal(other.status, 404, 'nothing but the webhook on the bridge address');
    const hook = await fetch(`http://${gateway}:${port}/api/webhooks/opencode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(hook.status, 401, 'the webhook answers there (unsigned: refused)');
  });

  it('a prompt in a docker project produces running → complete in the activity table', async () => {
    assert.equal((await admin.post('/api/custom-providers', {
      id: 'fakellm', name: 'Fake LLM', baseURL: `http://host.docker.internal:${llmRelay.port}/v1`, apiKey: 'fake-key',
      models: [{ id: 'fake-model', context: 128000, output: 4096 }],
    })).status, 201);
    assert.equal((await admin.call('PUT', '/api/me/default-model', { providerId: 'fakellm', modelId: 'fake-model' })).status, 200);
    project = (await admin.post<Project>('/api/projects', { name: 'docked' })).body;
    const op = (await admin.post<Operation>(`/api/projects/${project.id}/deploy`, { force: false })).body;
    const done = await waitFor('the deploy', async () => {
      const o = (await admin.get<OperationList>(`/api/projects/${project!.id}/operations`)).body.items.find((x) => x.id === op.id);
      return o && ['succeeded', 'failed', 'cancelled'].includes(o.state) ? o : undefined;
    }, 120_000);
    assert.equal(done.state, 'succeeded', done.error ?? '');

    // The plugin is where the image puts it, and the container's env points at the reachable listener.
    const [info] = await docker.listContainers({ filters: { label: [`dev.hangar.project=${project.id}`] } });
    const inspect = await docker.getContainer(info!.Id).inspect();
    const env = Object.fromEntries(inspect.Config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    assert.equal(env.HANGAR_WEBHOOK_URL, `${api.server.services.lifecycle.apiUrl}/api/webhooks/opencode`);
    assert.deepEqual(inspect.HostConfig.ExtraHosts, ['host.docker.internal:host-gateway']);
    const ls = await api.server.services.driver!.exec(project.id, ['ls', '/home/hangar/.config/opencode/plugins']);
    assert.match(ls.stdout, /hangar-webhook\.js/);

    const agent = (await admin.get<Project>(`/api/projects/${project.id}`)).body.urls.agent!;
    const { opencodePassword } = await api.server.services.projects.secrets(project.id);
    const headers = { Authorization: 'Basic ' + Buffer.from(`opencode:${opencodePassword}`).toString('base64'), 'Content-Type': 'application/json' };
    const session = await (await fetch(`${agent}/session`, { method: 'POST', headers, body: '{}' })).json() as { id: string };
    const sent = await fetch(`${agent}/session/${session.id}/prompt_async`, { method: 'POST', headers, body: JSON.stringify({ parts: [{ type: 'text', text: 'build it' }] }) });
    assert.equal(sent.status, 204);
    const row = await waitFor('the complete activity row', async () => {
      const s = (await admin.get<ActivityPage>(`/api/activity?projectId=${project!.id}`)).body.items.find((x: ActivitySession) => x.sessionId === session.id);
      return s?.status === 'complete' ? s : undefined;
    });
    assert.equal(row.projectName, 'docked');
    assert.equal(row.excerpt, 'Built it in the container.');
    assert.ok(llm.requests.some((r) => !r.isTitle), 'the container reached the fake LLM');
  });
});
